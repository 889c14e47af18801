import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

PHASE_APPS = ["inventory", "compliance", "notices", "destruction"]
IGNORED = [".venv", "var", "bench", "tests", "*/tests", *PHASE_APPS]


class Command(BaseCommand):
    help = (
        "Update the zh-Hans catalogues: the core's in windown/locale/ (windown + templates/), and "
        "each phase app's in <app>/locale/. New strings appear untranslated until filled."
    )

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR)
        cwd = Path.cwd()
        try:
            os.chdir(root)
            call_command("makemessages", locale=["zh_Hans"], ignore_patterns=IGNORED, verbosity=0)
            for app in PHASE_APPS:
                os.chdir(root / app)
                (root / app / "locale").mkdir(exist_ok=True)
                call_command(
                    "makemessages", locale=["zh_Hans"], ignore_patterns=["tests"], verbosity=0
                )
        finally:
            os.chdir(cwd)
        self.stdout.write("Catalogues updated; fill every new msgstr, then run compilemessages.")
