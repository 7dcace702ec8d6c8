"""Build the demo publication "New Defence Order. Strategy" (local development only).

Idempotent: every row is looked up by a stable key (slug, username, ISO code) and
saved only when a field differs, so a second run writes nothing and leaves
`updated_at` alone. The content lives in `articles/demo/`.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from articles.demo import entities, pictures, stories
from articles.images.library import add_image
from articles.images.models import Image
from articles.models import Article, Byline, Correction, Section, Status, TypeOfWork
from articles.sanitize import clean_body
from newsroom.site import absolute
from people.models import Country, Organisation, Person, Role

CREDIT = f"Illustration: {entities.PUBLICATION_NAME} demo"

REFUSAL = "load_demo creates accounts with a known password; it only runs with DJANGO_DEBUG=1"


def set_up_groups(users_by_group):
    """Put the demo editor and journalist in the groups the data migration made."""
    for name, users in users_by_group.items():
        group = Group.objects.get(name=name)
        for user in users:
            user.groups.add(group)


def _lines(items):
    return "\n".join(items)


class DemoBuilder:
    """Writes the demo rows, counting what it created and what it changed."""

    def __init__(self):
        self.created = Counter()
        self.updated = Counter()

    # --- Saving only what changed ------------------------------------------

    def save_if_changed(self, obj, values, *, force=False):
        is_new = obj.pk is None
        changed = [name for name, value in values.items() if is_new or getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if is_new or changed or force:
            obj.full_clean()
            obj.save()
            tally = self.created if is_new else self.updated
            tally[obj._meta.verbose_name_plural] += 1
        return obj

    def upsert(self, model, lookup, values):
        obj = model._default_manager.filter(**lookup).first() or model(**lookup)
        return self.save_if_changed(obj, values)

    def set_related(self, manager, objs, label):
        if set(manager.all()) != set(objs):
            manager.set(objs)
            self.updated[label] += 1

    # --- Pictures, drawn by articles/demo/pictures.py -----------------------

    def picture(self, title, draw, *, alt_text, caption=""):
        """The library picture titled `title`, drawn and ingested the first time only."""
        found = Image.objects.filter(title=title).first()
        if found:
            return found
        # Through the library's own checks and ingest, as an upload would go.
        # Renditions are made as pages ask for them: tests load the demo often,
        # and most loads never show most pictures.
        upload = SimpleUploadedFile("demo.jpg", draw(), content_type="image/jpeg")
        image = add_image(
            upload,
            renditions=False,
            title=title,
            alt_text=alt_text,
            caption=caption,
            credit=CREDIT,
        )
        self.created["images"] += 1
        return image

    def story_picture(self, data):
        headline = data["headline"]
        return self.picture(
            f"Demo illustration: {headline}"[:200],
            lambda: pictures.story_card(
                data["slug"], headline, body=data["body"], countries=data["countries"]
            ),
            alt_text=f"Title card reading “{headline}” over shapes in two colours.",
            caption="An illustration drawn for the demo publication.",
        )

    def portrait(self, slug, name):
        return self.picture(
            f"Demo portrait: {name}",
            lambda: pictures.portrait_card(slug, name),
            alt_text=name,
        )

    def logo(self, data):
        return self.picture(
            f"Demo logo: {data['name']}"[:200],
            lambda: pictures.logo_card(data["slug"], data["name"], data.get("short_name", "")),
            alt_text=f"{data['name']} logo",
        )

    # --- The knowledge graph -------------------------------------------------

    def countries(self):
        countries = {
            str(country.code): country
            for country in Country.objects.filter(code__in=entities.COUNTRIES)
        }
        for code, aliases in entities.COUNTRY_ALIASES.items():
            self.save_if_changed(countries[code], {"aliases": _lines(aliases)})
        return countries

    def organisations(self, countries):
        organisations = {}
        for data in entities.ORGANISATIONS:
            organisations[data["name"]] = self.upsert(
                Organisation,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "short_name": data.get("short_name", ""),
                    "aliases": _lines(data["aliases"]),
                    "same_as": _lines(data.get("same_as", [])),
                    "kind": Organisation.Kind[data["kind"]],
                    "country": countries[data["country"]],
                    "parent": organisations.get(data.get("parent")),
                    "description": data["description"],
                    "website": data.get("website", ""),
                    "logo": self.logo(data),
                },
            )
        for data in entities.PARTNERS:
            organisations[data["name"]] = self.upsert(
                Organisation,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "kind": Organisation.Kind[data["kind"]],
                    "description": data["description"],
                    "website": data["website"],
                    "logo": self.logo(data),
                    "is_partner": True,
                    "partner_order": data["partner_order"],
                },
            )
        return organisations

    def people(self, countries, organisations):
        people = {}
        for data in entities.PEOPLE:
            person = self.upsert(
                Person,
                {"slug": data["slug"]},
                {
                    "name": data["name"],
                    "aliases": _lines(data["aliases"]),
                    "same_as": _lines(data.get("same_as", [])),
                    "country": countries[data["country"]],
                    "description": data["description"],
                    "photo": self.portrait(data["slug"], data["name"]),
                },
            )
            for role in data["roles"]:
                self.upsert(
                    Role,
                    {
                        "person": person,
                        "organisation": organisations[role["organisation"]],
                        "title": role["title"],
                    },
                    {"start": role["start"], "end": role["end"]},
                )
            people[person.slug] = person
        return people

    def sections(self):
        return {
            data["slug"]: self.upsert(
                Section,
                {"slug": data["slug"]},
                {key: data[key] for key in ("name", "order", "description")},
            )
            for data in entities.SECTIONS
        }

    # --- The newsroom ----------------------------------------------------------

    def accounts(self):
        """The demo users, and a byline-able Person for each staff writer."""
        User = get_user_model()
        users, staff = {}, {}
        for data in entities.ACCOUNTS:
            username = data["username"]
            user = User.objects.filter(username=username).first() or User(username=username)
            # Checked, not set blindly: a new salt would change the row every run.
            needs_password = not user.check_password(entities.DEMO_PASSWORD)
            if needs_password:
                user.set_password(entities.DEMO_PASSWORD)
            user = self.save_if_changed(
                user,
                {
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "email": f"{username}@example.org",
                    "is_active": True,
                    "is_staff": True,
                    "is_superuser": data["is_superuser"],
                },
                force=needs_password,
            )
            users[username] = user
            if "staff_person" in data:
                person = data["staff_person"]
                staff[person["slug"]] = self.upsert(
                    Person,
                    {"slug": person["slug"]},
                    {
                        "name": user.get_full_name(),
                        "description": person["description"],
                        "user": user,
                        "photo": self.portrait(person["slug"], user.get_full_name()),
                    },
                )
        users_by_group = {}
        for data in entities.ACCOUNTS:
            if data["group"]:
                users_by_group.setdefault(data["group"], []).append(users[data["username"]])
        set_up_groups(users_by_group)
        return users, staff

    def stories(self, *, sections, people, organisations, countries, users):
        by_slug = {organisation.slug: organisation for organisation in organisations.values()}
        articles = {}
        for data in [*stories.STORIES, stories.DRAFT_STORY]:
            is_draft = data["published_at"] is None
            article = self.upsert(
                Article,
                {"slug": data["slug"]},
                {
                    "headline": data["headline"],
                    "standfirst": data["standfirst"],
                    # Stored sanitised, so comparing with the stored body is exact.
                    "body": clean_body(data["body"]),
                    "section": sections[data["section"]],
                    "type_of_work": TypeOfWork[data["type_of_work"]],
                    "credit": data.get("credit", ""),
                    "language": "en",
                    "status": Status.DRAFT if is_draft else Status.PUBLISHED,
                    "published_at": data["published_at"],
                    "created_by": users[data["created_by"]],
                    "home_position": data.get("home_position"),
                    "lead_image": self.story_picture(data),
                    # True dates: "Updated" only where the story has a public note,
                    # never the moment the demo was loaded.
                    "display_updated_at": data["correction"]["created_at"]
                    if "correction" in data
                    else None,
                },
            )
            authors = [people[slug] for slug in data["bylines"]]
            for order, person in enumerate(authors):
                self.upsert(Byline, {"article": article, "person": person}, {"order": order})
            removed, _ = article.bylines.exclude(person__in=authors).delete()
            if removed:
                self.updated["bylines"] += removed

            self.set_related(
                article.people,
                [people[slug] for slug in data["people"]],
                "story people",
            )
            self.set_related(
                article.organisations,
                [by_slug[slug] for slug in data["organisations"]],
                "story organisations",
            )
            self.set_related(
                article.countries,
                [countries[code] for code in data["countries"]],
                "story countries",
            )
            if {tag.lower() for tag in article.tags.names()} != {
                tag.lower() for tag in data["tags"]
            }:
                article.tags.set(data["tags"])
                self.updated["story tags"] += 1

            if "correction" in data:
                correction = data["correction"]
                self.upsert(
                    Correction,
                    {"article": article, "created_at": correction["created_at"]},
                    {
                        "kind": Correction.Kind[correction["kind"]],
                        "text": correction["text"],
                    },
                )
            articles[article.slug] = article

        # Second pass: every story exists before any points to another.
        for data in [*stories.STORIES, stories.DRAFT_STORY]:
            self.set_related(
                articles[data["slug"]].related,
                [articles[slug] for slug in data["related"]],
                "related stories",
            )
        return articles

    def build(self):
        countries = self.countries()
        organisations = self.organisations(countries)
        people = self.people(countries, organisations)
        sections = self.sections()
        users, staff = self.accounts()
        return self.stories(
            sections=sections,
            people={**people, **staff},
            organisations=organisations,
            countries=countries,
            users=users,
        )


class Command(BaseCommand):
    help = (
        f"Load the demo publication “{entities.PUBLICATION_NAME}”: people, "
        "organisations, sections, stories, their pictures and demo accounts. Safe to run twice. "
        "Refuses unless DJANGO_DEBUG=1."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(REFUSAL)
        builder = DemoBuilder()
        with transaction.atomic():
            articles = builder.build()
        self.report(builder, articles)

    def report(self, builder, articles):
        published = sum(a.status == Status.PUBLISHED for a in articles.values())
        self.stdout.write(
            f"Demo publication “{entities.PUBLICATION_NAME}”: {published} published "
            f"stories, {len(articles) - published} draft, "
            f"{len(entities.PEOPLE)} people, "
            f"{len(entities.ORGANISATIONS)} organisations, "
            f"{len(entities.PARTNERS)} partners, {len(entities.SECTIONS)} sections."
        )
        if builder.created or builder.updated:
            for label, tally in (
                ("Created", builder.created),
                ("Updated", builder.updated),
            ):
                if tally:
                    counts = ", ".join(f"{n} {name}" for name, n in sorted(tally.items()))
                    self.stdout.write(f"{label}: {counts}.")
        else:
            self.stdout.write("Already loaded: nothing changed.")

        login_url = absolute(reverse("admin:index"))
        self.stdout.write(
            self.style.SUCCESS(f"\nLog in at {login_url} with password “{entities.DEMO_PASSWORD}”:")
        )
        for data in entities.ACCOUNTS:
            role = "superuser" if data["is_superuser"] else f"{data['group']} group"
            if "staff_person" in data:
                role += f", writes as {data['first_name']} {data['last_name']}"
            self.stdout.write(f"  {data['username']:<11} {role}")
        if settings.NEWSROOM_PUBLICATION_NAME != entities.PUBLICATION_NAME:
            self.stdout.write(
                f"\nTo show the demo's name on the site, set "
                f'NEWSROOM_PUBLICATION_NAME="{entities.PUBLICATION_NAME}".'
            )
