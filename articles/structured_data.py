"""Structured data: the schema.org objects search engines read from JSON-LD.

Pure functions from models to plain dicts; `articles/templatetags/json_ld.py`
serialises them. They read only what the views already fetched (bylines,
people, organisations, countries, tags, corrections, renditions), so the
number of queries does not grow with the number of entities. Every URL is
absolute, built on NEWSROOM_SITE_URL. What is emitted where, and why:
docs/structured-data.md.
"""

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from PIL import Image as PILImage

from newsroom.site import absolute

from .images.renditions import (
    SQUARES,
    fallback_format,
    get_rendition,
    square_spec,
    structured_data_specs,
    width_specs,
)
from .models import Correction, TypeOfWork

CONTEXT = "https://schema.org"

# Google shows at most 110 characters of a headline (its former AMP rule).
HEADLINE_MAX_CHARS = 110

# The Trust Project's labels and the schema.org types it pairs them with.
# schema.org has no interview type, so an interview is a plain NewsArticle;
# sponsored content is not journalism, so it is an AdvertiserContentArticle,
# which is an Article but not a NewsArticle.
ARTICLE_TYPES = {
    TypeOfWork.NEWS: "ReportageNewsArticle",
    TypeOfWork.ANALYSIS: "AnalysisNewsArticle",
    TypeOfWork.OPINION: "OpinionNewsArticle",
    TypeOfWork.INTERVIEW: "NewsArticle",
    TypeOfWork.EXPLAINER: "BackgroundNewsArticle",
    TypeOfWork.SPONSORED: "AdvertiserContentArticle",
}


def iso(moment) -> str:
    """ISO 8601 with the newsroom's UTC offset, to the second."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def entity_id(entity) -> str:
    """A stable node id: the entity's page, with a fragment naming what it is."""
    return f"{absolute(entity.get_absolute_url())}#{type(entity).__name__.lower()}"


EMPTY = ("", None, [], {})


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in EMPTY}


# --- Publisher and site ----------------------------------------------------------


@lru_cache(maxsize=8)
def _logo_size(path: str) -> tuple[int, int] | None:
    found = finders.find(path)
    if not found:
        return None
    with PILImage.open(found) as logo:
        return logo.size


def publisher_logo() -> dict | None:
    """The publisher's logo as an ImageObject, or None when there is no file."""
    path = settings.NEWSROOM_PUBLISHER_LOGO
    size = _logo_size(path) if path else None
    if size is None:
        return None
    return {
        "@type": "ImageObject",
        "url": absolute(static(path)),
        "width": size[0],
        "height": size[1],
    }


def publisher_id() -> str:
    return f"{settings.NEWSROOM_SITE_URL}/#publisher"


def publisher_reference() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "@id": publisher_id(),
        "name": settings.NEWSROOM_PUBLICATION_NAME,
        "url": absolute(reverse("articles:home")),
    }


def publisher() -> dict:
    """The publication, as a NewsMediaOrganization."""
    return _without_empty(
        {
            **publisher_reference(),
            "logo": publisher_logo(),
            "sameAs": [settings.NEWSROOM_GOOGLE_NEWS_URL]
            if settings.NEWSROOM_GOOGLE_NEWS_URL
            else [],
        }
    )


def website() -> dict:
    """The site, with the search box Google may show for it."""
    base = settings.NEWSROOM_SITE_URL
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "@id": f"{base}/#website",
        "name": settings.NEWSROOM_PUBLICATION_NAME,
        "url": absolute(reverse("articles:home")),
        "publisher": {"@id": publisher_id()},
        # A literal path: the search page (articles:search) is being built
        # separately and may not be routed yet.
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{base}/search/?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def home_page() -> list[dict]:
    """The front page: the site and its publisher."""
    return [website(), {"@context": CONTEXT, **publisher()}]


# --- People, organisations, countries ---------------------------------------------


def person(entity, *, roles=None) -> dict:
    """A Person: our page about them, and where else they are described.

    `roles`, when given, are the roles to report as jobTitle and affiliation.
    """
    photo = portrait_url(entity.photo)
    roles = roles or []
    employers = _unique_by_pk(role.organisation for role in roles)
    return _without_empty(
        {
            "@type": "Person",
            "@id": entity_id(entity),
            "name": entity.name,
            "url": absolute(entity.get_absolute_url()),
            "description": entity.description,
            "image": photo,
            "jobTitle": _one_or_list(_unique(role.title for role in roles)),
            "affiliation": _one_or_list([organisation_reference(o) for o in employers]),
            "sameAs": entity.same_as_list,
        }
    )


def organisation(entity, *, parent=None) -> dict:
    """An Organization; its website counts as one of its sameAs links."""
    same_as = _unique([entity.website, *entity.same_as_list])
    return _without_empty(
        {
            "@type": "Organization",
            "@id": entity_id(entity),
            "name": entity.name,
            "alternateName": entity.short_name,
            "url": absolute(entity.get_absolute_url()),
            "logo": logo_url(entity.logo),
            "parentOrganization": organisation_reference(parent) if parent else None,
            "sameAs": same_as,
        }
    )


def portrait_url(image) -> str:
    """A portrait as a square rendition (the library's largest square)."""
    if image is None:
        return ""
    return absolute(get_rendition(image, square_spec(image, SQUARES[-1])).url)


def logo_url(image) -> str:
    """A logo uncropped, at the library's largest width that fits it."""
    if image is None:
        return ""
    return absolute(get_rendition(image, width_specs(image, fallback_format(image))[-1]).url)


def organisation_reference(entity) -> dict:
    """An organisation named from another node; its page's URL only while that page is public.

    Reads `has_public_page`: fetch the organisation `with_public_flag()`.
    """
    if not entity.has_public_page:
        return {"@type": "Organization", "name": entity.name}
    return {
        "@type": "Organization",
        "@id": entity_id(entity),
        "name": entity.name,
        "url": absolute(entity.get_absolute_url()),
    }


def country(entity) -> dict:
    return _without_empty(
        {
            "@type": "Country",
            "@id": entity_id(entity),
            "name": entity.name,
            "url": absolute(entity.get_absolute_url()),
            "sameAs": entity.same_as_list,
        }
    )


def person_page(entity, *, on=None) -> dict:
    """A person's (or author's) page: the Person with the roles held `on` (a date).

    Reads `entity.roles.all()`; prefetch them with their organisations,
    `with_public_flag()` (see `organisation_reference`).
    """
    day = on or timezone.localdate()
    return {"@context": CONTEXT, **person(entity, roles=entity.roles_on(day))}


def organisation_page(entity) -> dict:
    """An organisation's page; prefetch `entity.parent` `with_public_flag()`."""
    return {"@context": CONTEXT, **organisation(entity, parent=entity.parent)}


def country_page(entity) -> dict:
    return {"@context": CONTEXT, **country(entity)}


def _unique(values) -> list:
    return list(dict.fromkeys(value for value in values if value))


def _unique_by_pk(objects) -> list:
    return list({obj.pk: obj for obj in objects}.values())


def _one_or_list(values: list):
    return values[0] if len(values) == 1 else values


# --- Breadcrumbs -----------------------------------------------------------------


def breadcrumbs(*trail: tuple[str, str]) -> dict:
    """A BreadcrumbList from (name, path) pairs; Home comes first by itself."""
    crumbs = [("Home", reverse("articles:home")), *trail]
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": absolute(path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def section_breadcrumbs(section) -> dict:
    return breadcrumbs((section.name, section.get_absolute_url()))


def tag_breadcrumbs(tag) -> dict:
    return breadcrumbs((tag.name, reverse("articles:tag", args=[tag.slug])))


def article_breadcrumbs(article) -> dict:
    return breadcrumbs(
        (article.section.name, article.section.get_absolute_url()),
        (article.headline, article.get_absolute_url()),
    )


# --- Stories ---------------------------------------------------------------------


def article_type(article) -> str:
    return ARTICLE_TYPES.get(article.type_of_work, "NewsArticle")


def headline(article) -> str:
    return Truncator(article.headline).chars(HEADLINE_MAX_CHARS)


def date_modified(article):
    """The last update readers were told of (a correction, an update note, an editor's
    "Mark as updated"); else the publication. Plain saves never count."""
    return article.modified_for_readers


def images(article) -> list[dict]:
    """The lead image in 16:9, 4:3 and 1:1, as Google asks; [] without one."""
    image = article.lead_image
    if image is None:
        return []
    objects = []
    for spec in structured_data_specs(image):
        rendition = get_rendition(image, spec)
        objects.append(
            _without_empty(
                {
                    "@type": "ImageObject",
                    "url": absolute(rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "caption": image.caption or image.alt_text,
                    "creditText": image.credit,
                }
            )
        )
    return objects


def authors(article) -> list[dict]:
    """The bylined people; a story with only a credit is the publisher's own."""
    people = [byline.person for byline in article.bylines.all()]
    if not people:
        return [publisher_reference()]
    return [
        _without_empty(
            {
                "@type": "Person",
                "@id": entity_id(author),
                "name": author.name,
                "url": absolute(author.get_absolute_url()),
                "sameAs": author.same_as_list,
            }
        )
        for author in people
    ]


def entities(article) -> list[dict]:
    """The people, organisations and countries attached to the story."""
    return [
        *(person(entity) for entity in article.people.all()),
        *(organisation(entity) for entity in article.organisations.all()),
        *(country(entity) for entity in article.countries.all()),
    ]


def corrections(article) -> list[dict]:
    # Updates add news, they correct nothing: they count only in dateModified.
    return [
        {
            "@type": "CorrectionComment",
            "text": correction.text,
            "datePublished": iso(correction.created_at),
        }
        for correction in article.corrections.all()
        if correction.kind == Correction.Kind.CORRECTION
    ]


def article(story) -> dict | None:
    """A public story as NewsArticle (or the subtype its type of work calls for).

    None for a story readers cannot see: drafts, previews, scheduled and
    withdrawn stories must never describe themselves to search engines.
    """
    if not story.is_published():
        return None
    url = absolute(story.get_absolute_url())
    attached = entities(story)
    return _without_empty(
        {
            "@context": CONTEXT,
            "@type": article_type(story),
            "@id": f"{url}#article",
            "url": url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "headline": headline(story),
            "description": story.standfirst or story.seo_description,
            "image": images(story),
            "datePublished": iso(story.published_at),
            "dateModified": iso(date_modified(story)),
            "author": authors(story),
            "publisher": publisher(),
            "articleSection": story.section.name,
            "keywords": [tag.name for tag in story.tags.all()],
            "about": attached,
            "mentions": attached,
            "isAccessibleForFree": True,
            "inLanguage": story.language,
            "correction": corrections(story),
        }
    )


def article_page(story) -> list[dict]:
    """What a public story's page carries: the story and its breadcrumbs."""
    described = article(story)
    if described is None:
        return []
    return [described, article_breadcrumbs(story)]
