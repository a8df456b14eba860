"""Import articles from the old system's JSON Lines export: ``python manage.py import_articles FILE.jsonl``."""

import sys

from django.core.management.base import BaseCommand

from articles.importing import ArticleImporter, read_lines

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import articles from a JSON Lines file (one object a line: id, channel, title, date, and optional "
        "subtitle, source, source_url, original_title, author, editor, summary, body, tags). Re-running updates by id."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 .jsonl file exported from the old system")
        parser.add_argument("--no-progress", action="store_true", help="never draw the progress bar")

    def handle(self, *args, file, no_progress=False, **options):
        lines = read_lines(file)

        progress = None
        if not no_progress and sys.stderr.isatty():
            progress = ProgressBar(len(lines), sys.stderr)
        report = ArticleImporter().import_lines(lines, progress=progress)
        if progress is not None:
            progress.finish()

        for number, reason in report.rejected:
            self.stderr.write(f"第 {number} 行:{reason}")
        summary = f"导入完成:新建 {report.created} 篇,更新 {report.updated} 篇,拒绝 {len(report.rejected)} 行。"
        self.stdout.write(self.style.SUCCESS(summary) if not report.rejected else self.style.WARNING(summary))


class ProgressBar:
    """A one-line bar redrawn in place, for terminals only."""

    def __init__(self, total, stream):
        self.total = max(total, 1)
        self.stream = stream
        self.shown = -1

    def __call__(self, done):
        percent = done * 100 // self.total
        if percent == self.shown:
            return
        self.shown = percent
        filled = BAR_WIDTH * done // self.total
        self.stream.write(f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {percent:3d}% {done}/{self.total}")
        self.stream.flush()

    def finish(self):
        self.stream.write("\n")
        self.stream.flush()
