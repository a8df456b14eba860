"""Image renditions readers will ask for, made when an article is published so no reader waits for them.

The filter specs are those of the templates that show an article's images; a test renders the pages
after a publish and fails if any of them still has to make a rendition (tests/articles/test_renditions.py).
"""

from django.db import transaction
from django_tasks import task
from wagtail.images.models import Filter

# templates/articles/article_page.html (cover) and templates/blocks/image.html (body images)
ARTICLE_IMAGE = "format-{webp,jpeg} width-{480,800,1200}"
# templates/home/home_page.html (the lead story) and templates/includes/promoted.html (推荐位)
LEAD_STORY = "format-{webp,jpeg} fill-{480x270,960x540}"
PROMOTED = "fill-320x200 format-webp"
# articles/templatetags/seo_tags.py: og:image and the JSON-LD image of an article page
SHARE_IMAGE = "fill-1200x630"


def article_images(article):
    """{image: filter specs} for every image an article shows: its cover, wherever it appears, and the body's."""
    wanted = {}
    if article.cover_image is not None:
        wanted[article.cover_image] = [ARTICLE_IMAGE, LEAD_STORY, PROMOTED, SHARE_IMAGE]
    for block in article.body:
        image = block.value.get("image") if block.block_type == "image" else None
        if image is not None:
            wanted.setdefault(image, []).append(ARTICLE_IMAGE)
    return wanted


@task()
def make_article_renditions(page_id):
    """Create the renditions of a published article's images (existing ones are kept)."""
    from .models import ArticlePage

    article = ArticlePage.objects.filter(pk=page_id).select_related("cover_image").first()
    if article is None or not article.live:
        return
    for image, specs in article_images(article).items():
        image.get_renditions(*[expanded for spec in specs for expanded in Filter.expand_spec(spec)])


def article_published(sender, instance, **kwargs):
    """``page_published`` receiver: queue the renditions after the commit (in the request itself with
    django-tasks' default immediate backend; on a worker when TASKS names a queueing backend)."""
    from .models import ArticlePage

    if isinstance(instance, ArticlePage):
        transaction.on_commit(lambda: make_article_renditions.enqueue(instance.pk))
