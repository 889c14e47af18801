"""Handing a customer the copy of their data that support compiled for an `export` request.

The file is encrypted before it touches the disk (Fernet: AES-128-CBC + HMAC-SHA256, with
NOTICES_EXPORT_KEY), offered on the customer's personal page until it expires, and every
upload and download is audited.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notices.models import RequestExport, SubjectRequest
from windown import roles
from windown.audit import audit_record
from windown.models import Membership

MIB = 1024 * 1024


def _fernet() -> Fernet:
    key = settings.NOTICES_EXPORT_KEY
    if not key:  # derived from SECRET_KEY unless the installation sets its own
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"windown notices exports"
        ).derive(settings.SECRET_KEY.encode())
        key = base64.urlsafe_b64encode(derived).decode()
    return Fernet(key)


@transaction.atomic
def request_export_attach(
    *, by: Membership, request: SubjectRequest, filename: str, content: bytes
) -> RequestExport:
    """Store the compiled export encrypted and offer it to the customer until it expires."""
    roles.require(by, "notices.requests.handle")
    if request.winddown_id != by.winddown_id:
        raise ValidationError(_("This request belongs to another wind-down."))
    if request.type != SubjectRequest.Type.EXPORT:
        raise ValidationError(_("Only a request for a copy of the customer's data takes a file."))
    limit = settings.NOTICES_EXPORT_MAX_MIB
    if not content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(content) > limit * MIB:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s MiB.") % {"limit": limit}}
        )
    sha256 = hashlib.sha256(content).hexdigest()
    RequestExport.objects.filter(request=request).delete()  # a corrected copy replaces the first
    export = RequestExport(
        request=request,
        filename=filename[-200:],
        size=len(content),
        sha256=sha256,
        uploaded_by=by,
        expires_at=timezone.now() + dt.timedelta(days=settings.NOTICES_EXPORT_DAYS),
    )
    export.file.save(f"{request.pk}-{sha256[:16]}.fernet", ContentFile(_fernet().encrypt(content)))
    audit_record(
        winddown=request.winddown,
        actor=by.user,
        action="notices.request_export_attached",
        obj=request,
        payload={"filename": export.filename, "size": export.size, "sha256": sha256},
    )
    return export


class ExportUnavailable(Exception):
    """The customer's copy has expired or is not there."""


@transaction.atomic
def request_export_download(*, request: SubjectRequest) -> tuple[str, bytes]:
    """Decrypt the customer's copy for their download, and audit it."""
    export = RequestExport.objects.select_for_update().filter(request=request).first()
    if export is None or export.expires_at <= timezone.now():
        raise ExportUnavailable
    with export.file.open("rb") as stored:
        try:
            content = _fernet().decrypt(stored.read())
        except InvalidToken as error:  # the stored file was altered, or the key changed
            raise ExportUnavailable from error
    export.downloads += 1
    export.save(update_fields=["downloads"])
    audit_record(
        winddown=request.winddown,
        actor=None,
        actor_label=f"customer:{request.recipient_id}",
        action="notices.request_export_downloaded",
        obj=request,
        payload={"sha256": export.sha256, "download": export.downloads},
    )
    return export.filename, content
