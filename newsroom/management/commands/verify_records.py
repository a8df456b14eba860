"""Walk the chain of publication records and review decisions; report the first link that no longer matches."""

from django.core.management.base import BaseCommand, CommandError

from newsroom.records import verify


class Command(BaseCommand):
    help = "核验发稿单和审核决定的留痕链:报告第一个断点(条目编号和不符之处),链完好时报告条目数。"

    def handle(self, *args, **options):
        result = verify()
        if not result.intact:
            if result.broken_entry is not None:
                where = f"留痕链断开于条目 #{result.broken_entry}(第 {result.checked + 1} 条)"
            else:
                where = "留痕链不完整"
            raise CommandError(f"{where}:{result.problem}。此前 {result.checked} 条完好。")
        self.stdout.write(self.style.SUCCESS(f"留痕链完好:{result.checked} 条记录,末条哈希 {result.head_hash}。"))
