from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditHead(models.Model):
    """The newest link of a wind-down's audit chain; its row lock serialises writers."""

    winddown = models.OneToOneField(
        "windown.WindDown", models.PROTECT, primary_key=True, related_name="audit_head"
    )
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.winddown_id}#{self.seq}"


class AuditEvent(models.Model):
    """One state change, chained to the previous one by its hash. Append-only."""

    winddown = models.ForeignKey(
        "windown.WindDown", models.PROTECT, related_name="audit_events", verbose_name=_("wind-down")
    )
    seq = models.PositiveBigIntegerField(_("sequence"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # No database constraint and no cascade: the chain must outlive a deleted account
        # without any UPDATE to its rows; actor_label keeps who it was.
        models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=254)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["winddown", "seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(fields=["winddown", "seq"], name="auditevent_chain_no_fork"),
        ]
        indexes = [models.Index(fields=["winddown", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class Checkpoint(models.Model):
    """A signed statement that the first `tree_size` events of a wind-down's log have this root."""

    winddown = models.ForeignKey(
        "windown.WindDown",
        models.PROTECT,
        related_name="audit_checkpoints",
        verbose_name=_("wind-down"),
    )
    tree_size = models.PositiveBigIntegerField(_("events covered"))
    root_hash = models.CharField(_("Merkle root (hex)"), max_length=64)
    signed_text = models.TextField(_("signed checkpoint"))
    created_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["winddown", "-tree_size"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        constraints = [
            models.UniqueConstraint(
                fields=["winddown", "tree_size"], name="checkpoint_one_per_tree_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.winddown_id}@{self.tree_size}"
