"""Import the site's 敏感词 (or, with --typos, 错别字) from a text file: ``python manage.py import_wordlist FILE``."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.models import CheckLevel
from newsroom.wordlists import LineError, SensitiveWordFormat, TypoPairFormat, decode, import_text


class Command(BaseCommand):
    help = (
        "Import words from a UTF-8 text file, one a line: word, or word<TAB>level<TAB>note (level 拦截/提示 or "
        "block/warn). New words are added, changed ones updated; bad and repeated lines are reported by number. "
        "With --typos, each line is wrong<TAB>right[<TAB>note] for the site's 错别字."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 text file, with or without a byte-order mark")
        parser.add_argument(
            "--level",
            choices=CheckLevel.values,
            default=CheckLevel.BLOCK,
            help="level of the words whose line names none (default: block)",
        )
        parser.add_argument("--typos", action="store_true", help="the file holds 错别字 pairs, not 敏感词")

    def handle(self, *args, file, level, typos=False, **options):
        try:
            with open(file, "rb") as handle:
                text = decode(handle.read())
        except OSError as error:
            raise CommandError(f"无法读取 {file}:{error.strerror}") from error
        except LineError as error:
            raise CommandError(f"{file}:{error}") from error
        report = import_text(text, TypoPairFormat() if typos else SensitiveWordFormat(level))
        for number, reason in report.skipped:
            self.stderr.write(f"第 {number} 行:{reason}")
        self.stdout.write(f"{report.summary()}。")
