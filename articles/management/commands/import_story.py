"""Import plain-text stories as drafts (or submit them). The work is in articles/importer.py."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles import workflow
from articles.importer import IMPORT_STATUSES, import_file, story_files
from articles.models import Article, Section, Status
from people.models import Person


class Command(BaseCommand):
    help = (
        "Import a plain-text story (headline on the first line, then paragraphs), "
        "or every .txt file in a folder, as drafts with their mentions attached; "
        "--status in-review then submits each one for review as its --author."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .txt file, or a folder of them.")
        parser.add_argument(
            "--section",
            help="Section slug or name (default: NEWSROOM_IMPORT_DEFAULT_SECTION, “news”).",
        )
        parser.add_argument(
            "--author",
            help="Byline: a person's slug, or the username of a staff account with a person.",
        )
        parser.add_argument(
            "--status",
            default=Status.DRAFT,
            choices=[str(s) for s in IMPORT_STATUSES],
            help="in-review submits each story for review as the --author, who needs a "
            "newsroom account that may submit stories.",
        )

    def handle(self, *args, path, section, author, status, **options):
        if status not in IMPORT_STATUSES:
            raise CommandError(
                f"Imported stories start as {' or '.join(IMPORT_STATUSES)}, not {status}: "
                "publishing goes through the editorial workflow."
            )
        path = Path(path)
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        section = self.find_section(section or settings.NEWSROOM_IMPORT_DEFAULT_SECTION)
        person, user = self.find_author(author) if author else (None, None)
        if status == Status.IN_REVIEW:
            self.check_may_submit(person, user)
        files = story_files(path)
        if not files:
            raise CommandError(f"{path} has no .txt files.")

        counts = {"imported": 0, "already imported": 0, "refused": 0}
        for file in files:
            result = import_file(file, section=section, author=person, status=status, by=user)
            counts[result.outcome] += 1
            if result.outcome == "imported":
                article = result.article
                self.stdout.write(
                    self.style.SUCCESS(f"imported: {file} → “{article.headline}” ")
                    + f"(#{article.pk}, {article.get_status_display().lower()}, "
                    f"{article.people.count()} people, {article.organisations.count()} "
                    f"organisations, {article.countries.count()} countries)"
                )
            elif result.outcome == "already imported":
                self.stdout.write(
                    self.style.WARNING(f"already imported: {file} ")
                    + f"is story #{result.article.pk} “{result.article.headline}”; nothing created"
                )
            else:
                self.stdout.write(
                    self.style.ERROR(f"refused: {file}: {result.message}; nothing created")
                )
        self.stdout.write(
            f"{len(files)} file{'s' if len(files) != 1 else ''}: {counts['imported']} imported, "
            f"{counts['already imported']} already imported, {counts['refused']} refused."
        )
        if counts["refused"]:
            raise CommandError(f"{counts['refused']} of {len(files)} refused (see above).")

    def find_section(self, wanted):
        section = Section.objects.filter(Q(slug=wanted) | Q(name__iexact=wanted)).first()
        if section is None:
            known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No section “{wanted}”. Sections: {known}.")
        return section

    def check_may_submit(self, person, user):
        """Refuse "in review" up front when nobody could submit; the workflow decides again."""
        if person is None:
            raise CommandError(
                "--status in-review submits each story for review as its author: "
                "name them with --author, or import as drafts."
            )
        if user is None:
            raise CommandError(
                f"{person.name} has no newsroom account, so the story cannot be submitted "
                "in their name: link the person to an account, or import as drafts."
            )
        try:
            # A draft they are starting: what an author may do with their own.
            workflow.check("submit", user, Article(status=Status.DRAFT))
        except workflow.TransitionNotAllowed:
            raise CommandError(
                f"“{user.get_username()}” may not submit stories for review (a journalist "
                "or editor account is needed); import as drafts instead."
            ) from None

    def find_author(self, wanted):
        person = Person.objects.filter(slug=wanted).select_related("user").first()
        if person is not None:
            return person, person.user
        user = get_user_model().objects.filter(username=wanted).first()
        if user is None:
            raise CommandError(f"No person with slug “{wanted}” and no account “{wanted}”.")
        person = Person.objects.filter(user=user).first()
        if person is None:
            raise CommandError(
                f"The account “{wanted}” has no person to put in a byline; "
                "link one in the admin or pass a person's slug."
            )
        return person, user
