"""The organisers' pages for partners, the running order, the pledge text and the wall link."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..event.services import require_event
from ..extensions import db
from ..security import role_required
from . import partners as partner_services
from . import queries, services
from .forms import ActionForm, MergeForm, PaperForm, PartnerNameForm, PledgeForm, WithdrawForm
from .station import station
from .models import Partner, Signature
from .views import bp


def _overview(status: int = 200, add_form=None, error: str | None = None):
    event = require_event()
    listed = queries.partners(event.id)
    return render_template(
        "signing/partners.html", event=event, partners=listed, add_form=add_form or PartnerNameForm(),
        order_form=ActionForm(), signatures=queries.effective_signatures(event.id), error=error,
        signed_count=len(queries.signed_partner_ids(event.id) & {p.id for p in listed}),
        people={p.id: partner_services.signatories(p) for p in listed},
        wall_url=url_for("signing.wall_by_link", secret=services.wall_link(event.id).secret, _external=True),
    ), status


@bp.route("/organiser/partners")
@role_required("organiser")
def partners():
    return _overview()


@bp.route("/organiser/partners/add", methods=["POST"])
@role_required("organiser")
def partner_add():
    form = PartnerNameForm()
    if not form.validate_on_submit():
        return _overview(400, add_form=form)
    try:
        partner = partner_services.add_partner(form.name.data, current_user.display_name)
    except DomainError as error:
        return _overview(400, add_form=form, error=error.message)
    flash(_("%(name)s added as a partner.", name=partner.name), "success")
    return redirect(url_for("signing.partners"))


@bp.route("/organiser/partners/order", methods=["POST"])
@role_required("organiser")
def partner_order():
    form = ActionForm()
    if not form.validate_on_submit():
        return _overview(400)
    order = {int(key[6:]): (int(value) if value.strip().isdigit() else None)
             for key, value in request.form.items() if key.startswith("order-") and key[6:].isdigit()}
    try:
        partner_services.set_running_order(order, current_user.display_name)
    except DomainError as error:
        return _overview(400, error=error.message)
    flash(_("The running order has been saved."), "success")
    return redirect(url_for("signing.partners"))


def _detail(partner: Partner, status: int = 200, **forms):
    others = [p for p in queries.partners(partner.event_id) if p.id != partner.id]
    merge = forms.get("merge_form") or MergeForm()
    merge.target.choices = [(p.id, p.name) for p in others]
    return render_template("signing/partner.html", partner=partner, people=partner_services.signatories(partner),
                           name_form=forms.get("name_form") or PartnerNameForm(obj=partner), merge_form=merge,
                           paper_form=forms.get("paper_form") or PaperForm(), error=forms.get("error"),
                           withdraw_form=forms.get("withdraw_form") or WithdrawForm(),
                           signature=queries.effective_signatures(partner.event_id).get(partner.id)), status


@bp.route("/organiser/partners/<int:partner_id>", methods=["GET", "POST"])
@role_required("organiser")
def partner(partner_id):
    found = partner_services.get_partner(partner_id)
    form = PartnerNameForm()
    if not form.validate_on_submit():
        return _detail(found, 400 if form.is_submitted() else 200, name_form=form if form.is_submitted() else None)
    try:
        partner_services.rename_partner(partner_id, form.name.data, current_user.display_name)
    except DomainError as error:
        return _detail(found, 400, name_form=form, error=error.message)
    flash(_("The partner has been saved."), "success")
    return redirect(url_for("signing.partner", partner_id=partner_id))


@bp.route("/organiser/partners/<int:partner_id>/merge", methods=["POST"])
@role_required("organiser")
def partner_merge(partner_id):
    found = partner_services.get_partner(partner_id)
    form = MergeForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("invalid", _("Choose the partner to merge with."))
        target = partner_services.merge_partners(partner_id, form.target.data, current_user.display_name)
    except DomainError as error:
        return _detail(found, 400, merge_form=form, error=error.message)
    flash(_("%(old)s has been merged into %(new)s.", old=found.name, new=target.name), "success")
    return redirect(url_for("signing.partner", partner_id=target.id))


@bp.route("/organiser/partners/<int:partner_id>/paper", methods=["POST"])
@role_required("organiser")
def partner_paper(partner_id):
    found = partner_services.get_partner(partner_id)
    form = PaperForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("invalid", _("Please try again."))
        upload = form.scan.data
        scan = upload.read() if upload else None
        partner_services.mark_paper_signed(partner_id, scan, current_user.display_name)
    except DomainError as error:
        return _detail(found, 400, paper_form=form, error=error.message)
    flash(_("Marked as signed on paper."), "success")
    return redirect(url_for("signing.partner", partner_id=partner_id))


@bp.route("/organiser/partners/<int:partner_id>/withdraw", methods=["POST"])
@role_required("organiser")
def partner_withdraw(partner_id):
    """Withdraw the partner's signature: a new record in the chain, the original stays."""
    found = partner_services.get_partner(partner_id)
    form = WithdrawForm()
    try:
        if not form.validate_on_submit():
            raise DomainError("invalid", _("Please give a reason."))
        services.withdraw(partner_id, form.reason.data, station(current_user, request))
    except DomainError as error:
        return _detail(found, 400, withdraw_form=form, error=error.message)
    flash(_("The signature has been withdrawn."), "success")
    return redirect(url_for("signing.partner", partner_id=partner_id))


@bp.route("/organiser/signatures/<int:signature_id>.png")
@role_required("organiser")
def signature_image(signature_id):
    record = db.session.get(Signature, signature_id)
    if record is None or not record.image_png:
        abort(404)
    return Response(record.image_png, mimetype="image/png")


@bp.route("/organiser/partners/<int:partner_id>/scan")
@role_required("organiser")
def partner_scan(partner_id):
    found = db.session.get(Partner, partner_id)
    if found is None or not found.paper_scan:
        abort(404)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[found.paper_scan_type]
    return Response(found.paper_scan, mimetype=found.paper_scan_type, headers={
        "Content-Disposition": f'attachment; filename="paper-signature-{found.id}.{extension}"'})


@bp.route("/organiser/pledge", methods=["GET", "POST"])
@role_required("organiser")
def pledge():
    event = require_event()
    form, error = PledgeForm(), None
    if form.validate_on_submit():
        try:
            version = services.save_pledge(form.text.data, current_user.display_name)
        except DomainError as refusal:
            error = refusal.message
        else:
            flash(_("Pledge text saved as version %(n)d.", n=version.number), "success")
            return redirect(url_for("signing.pledge"))
    current = services.current_pledge(event.id)
    if not form.is_submitted() and current is not None:
        form.text.data = current.text
    return render_template("signing/pledge.html", form=form, error=error, current=current,
                           versions=services.pledge_versions(event.id)), 400 if form.is_submitted() else 200
