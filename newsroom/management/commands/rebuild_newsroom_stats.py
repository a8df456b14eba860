"""Fill the 统计 report's summary rows from the articles and review decisions already in the database."""

from django.core.management.base import BaseCommand

from newsroom.stats import rebuild


class Command(BaseCommand):
    help = "重建采编统计的汇总数据(已发布的文章和已作出的审核决定);可重复运行。"

    def handle(self, *args, **options):
        articles, reviews = rebuild()
        self.stdout.write(f"已汇总 {articles} 篇文章、{reviews} 个审核决定。")
