"""Organisers manage door and signing devices; a phone pairs itself by opening a one-time link."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..errors import DomainError
from ..extensions import db, limiter
from ..mail.services import absolute_url
from ..registration.forms import ConfirmForm, show_refusal
from ..security import role_required
from ..tickets.qr import svg_data_uri
from . import devices
from .device_forms import DeviceForm
from .models import Device

bp = Blueprint("devices", __name__)


def _pairing_page(device: Device, pairing: str):
    link = absolute_url("devices.pair", secret=pairing)
    return render_template("auth/device_pairing.html", device=device, link=link, qr=svg_data_uri(link))


@bp.route("/organiser/devices", methods=["GET", "POST"])
@role_required("organiser")
def index():
    form = DeviceForm()
    if form.validate_on_submit():
        try:
            device, pairing = devices.create_device(form.name.data, form.role.data, current_user.email)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _pairing_page(device, pairing)
    return render_template("auth/devices.html", form=form, devices=devices.list_devices(), confirm=ConfirmForm())


@bp.post("/organiser/devices/<int:device_id>/pairing")
@role_required("organiser")
def renew(device_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    device = db.get_or_404(Device, device_id)
    return _pairing_page(device, devices.renew_pairing(device))


@bp.post("/organiser/devices/<int:device_id>/revoke")
@role_required("organiser")
def revoke(device_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    device = db.get_or_404(Device, device_id)
    devices.revoke(device)
    flash(_("“%(name)s” is revoked: it is signed out and its token no longer works.", name=device.name), "success")
    return redirect(url_for("devices.index"))


@bp.route("/pair/<secret>", methods=["GET", "POST"])
@limiter.limit("20 per minute")
def pair(secret: str):
    form = ConfirmForm()
    device = devices.find_pairable(secret)
    if device is None:
        return render_template("auth/pair_invalid.html"), 404
    if form.validate_on_submit():
        try:
            device = devices.pair(secret)
        except DomainError:
            return render_template("auth/pair_invalid.html"), 404
        login_user(device, remember=True)
        flash(_("This phone is now signed in as “%(name)s”.", name=device.name), "success")
        from .views import HOME_BY_ROLE

        return redirect(url_for(HOME_BY_ROLE[device.role]))
    return render_template("auth/pair.html", device=device, form=form)
