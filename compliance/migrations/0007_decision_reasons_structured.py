"""Store the engine's texts as reasons (code + parameters) rather than English sentences.

What was stored before is kept word for word as a verbatim reason (shown as it is, in every
language); the next evaluation (evaluate_retention, or any change that re-evaluates) rewrites
each decision's basis, conflict and rule reasons as structured reasons, worded in the reader's
language. Going back renders them in English into the text columns again.
"""

from django.db import migrations, models

from django.utils import translation

from compliance.engine.reasons import verbatim

BATCH = 2000


def _outcomes(considered, convert):
    return [{**o, "reason": convert(o.get("reason", ""))} for o in considered or []]


def to_reasons(apps, schema_editor):
    Decision = apps.get_model("compliance", "Decision")
    batch = []
    for d in Decision.objects.order_by("pk").iterator(chunk_size=BATCH):
        d.basis_reasons = verbatim(d.basis)
        d.conflict_reasons = verbatim(d.conflict_reason)
        d.review_reasons = verbatim(d.review_note)
        d.considered = _outcomes(d.considered, lambda r: r if isinstance(r, list) else verbatim(r))
        batch.append(d)
        if len(batch) == BATCH:
            _save(Decision, batch, ["basis_reasons", "conflict_reasons", "review_reasons"])
    _save(Decision, batch, ["basis_reasons", "conflict_reasons", "review_reasons"])


def to_text(apps, schema_editor):
    from compliance.reasons import render  # the engine's reasons and compliance's notes

    Decision = apps.get_model("compliance", "Decision")
    batch = []
    with translation.override("en"):
        for d in Decision.objects.order_by("pk").iterator(chunk_size=BATCH):
            d.basis = render(d.basis_reasons)
            d.conflict_reason = render(d.conflict_reasons)
            d.review_note = render(d.review_reasons)
            d.considered = _outcomes(d.considered, render)
            batch.append(d)
            if len(batch) == BATCH:
                _save(Decision, batch, ["basis", "conflict_reason", "review_note"])
    _save(Decision, batch, ["basis", "conflict_reason", "review_note"])


def _save(Decision, batch, fields):
    Decision.objects.bulk_update(batch, [*fields, "considered"])
    batch.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0006_decision_status_counts_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="basis_reasons",
            field=models.JSONField(default=list, verbose_name="basis"),
        ),
        migrations.AddField(
            model_name="decision",
            name="conflict_reasons",
            field=models.JSONField(blank=True, default=list, verbose_name="conflict"),
        ),
        migrations.AddField(
            model_name="decision",
            name="review_reasons",
            field=models.JSONField(
                blank=True, default=list, verbose_name="why it is back in review"
            ),
        ),
        migrations.RunPython(to_reasons, to_text, elidable=True),
        # a default, so that going back can add the text columns again before filling them
        migrations.AlterField(
            model_name="decision",
            name="basis",
            field=models.TextField(default="", verbose_name="basis"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="conflict_reason",
            field=models.TextField(blank=True, default="", verbose_name="conflict"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="review_note",
            field=models.TextField(
                blank=True, default="", verbose_name="why it is back in review"
            ),
        ),
        migrations.RemoveField(model_name="decision", name="basis"),
        migrations.RemoveField(model_name="decision", name="conflict_reason"),
        migrations.RemoveField(model_name="decision", name="review_note"),
    ]
