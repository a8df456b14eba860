"""Image renditions readers will ask for, made when an article is published so no reader waits for them.

The filter specs are those of the templates that show an article's images; a test renders the pages
after a publish and fails if any of them still has to make a rendition (tests/articles/test_renditions.py).
"""

import copy
from collections import defaultdict

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


def prefetch_renditions(wanted):
    """Read the renditions ``{image: [filter specs]}`` of a page's images from the renditions cache at once,
    and in one query those it lacks, and give them to the images (and the latter to the cache).

    Without this each image asks on its own, one query per image and template tag: 17 for an article with
    three body images and four promoted items. The images are the instances the templates render, which then
    find their renditions without asking (Wagtail's ``prefetched_renditions``).
    """
    filters = {}
    for image, specs in wanted.items():
        if getattr(image, "prefetched_renditions", None) is not None:
            continue  # a promoted item's image, kept per process with its renditions since an earlier page
        filters.setdefault(image, [])
        filters[image] += [Filter(expanded) for spec in specs for expanded in Filter.expand_spec(spec)]
    if not filters:
        return
    rendition_model = next(iter(filters)).get_rendition_model()
    cache = rendition_model.cache_backend
    keys = {
        (image, image_filter.spec): rendition_model.construct_cache_key(
            image, image_filter.get_cache_key(image), image_filter.spec
        )
        for image, image_filters in filters.items()
        for image_filter in image_filters
    }
    cached = cache.get_many(keys.values())
    lacking = {image for (image, _), key in keys.items() if key not in cached}
    # An image whose renditions the cache holds gets them too, so its template tags do not each read the
    # cache again.
    found = defaultdict(list)
    for (image, _), key in keys.items():
        if key in cached and image not in lacking:
            found[image].append(cached[key])
    for image, image_renditions in found.items():
        for rendition in image_renditions:
            rendition.image = image
        image.prefetched_renditions = image_renditions
    if not lacking:
        return
    specs = {image_filter.spec for image in lacking for image_filter in filters[image]}
    by_image = defaultdict(list)
    stored = rendition_model.objects.filter(image_id__in={image.pk for image in lacking}, filter_spec__in=specs)
    for rendition in stored:
        by_image[rendition.image_id].append(rendition)
    additions = {}
    for image in lacking:
        image.prefetched_renditions = list(by_image[image.pk])
        wanted_filters = {image_filter.spec: image_filter for image_filter in filters[image]}
        for rendition in image.prefetched_renditions:
            rendition.image = image
            image_filter = wanted_filters.get(rendition.filter_spec)
            if image_filter is not None and rendition.focal_point_key == image_filter.get_cache_key(image):
                additions[keys[(image, image_filter.spec)]] = _without_image(rendition)
    cache.set_many(additions)


def _without_image(rendition):
    # The cache keeps the rendition alone, as Wagtail does; whoever reads it sets its image.
    stored = copy.copy(rendition)
    stored._state = copy.copy(rendition._state)
    stored._state.fields_cache = {}
    return stored
