"""Mailings pages: compose with preview in both languages, send, watch the progress."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from . import mailings
from .forms import MailingForm
from .views import bp, organiser_only


@bp.route("/mailings")
@organiser_only
def mailings_list():
    return render_template("organiser/mailings.html", mailings=mailings.recent())


@bp.route("/mailings/new", methods=["GET", "POST"])
@organiser_only
def mailing_new():
    form = MailingForm()
    shown = None
    if form.validate_on_submit():
        if request.form.get("do") == "send":
            try:
                mailing = mailings.send(form.mail_data(), form.filter_data(), current_user)
            except DomainError as error:
                flash(error.message, "error")
            else:
                flash(_("The mailing is on its way."), "success")
                return redirect(url_for("organiser.mailing", mailing_id=mailing.id))
        shown = mailings.preview(form.mail_data(), form.filter_data())
    return render_template("organiser/mailing_new.html", form=form, preview=shown), 200 if not form.errors else 422


@bp.route("/mailings/<int:mailing_id>")
@organiser_only
def mailing(mailing_id):
    found = mailings.get(mailing_id) or abort(404)
    return render_template("organiser/mailing.html", mailing=found, progress=mailings.progress(mailing_id))


@bp.route("/mailings/<int:mailing_id>/progress.json")
@organiser_only
def mailing_progress(mailing_id):
    """Counts per outbox status, polled by static/js/organiser-progress.js."""
    mailings.get(mailing_id) or abort(404)
    return jsonify(mailings.progress(mailing_id))
