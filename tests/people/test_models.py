import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from people import partial_dates
from people.models import Country, Organisation, Person, Role
from tests.factories import country, make_organisation, make_person, make_role

pytestmark = pytest.mark.django_db


def test_person_slug_is_filled_from_the_name():
    assert make_person("Mark Esper").slug == "mark-esper"


def test_two_people_with_the_same_name_get_different_slugs():
    first, second = make_person("John Smith"), make_person("John Smith")
    assert {first.slug, second.slug} == {"john-smith", "john-smith-2"}


def test_a_persons_slug_is_kept_when_the_name_changes():
    person = make_person("Mark Esper")
    person.name = "Mark T. Esper"
    person.save()
    assert person.slug == "mark-esper"


def test_aliases_are_read_one_per_line():
    person = make_person("Mark Esper", aliases="Esper\n\n  Secretary Esper \n")
    assert person.alias_list == ["Esper", "Secretary Esper"]


def test_same_as_links_must_be_web_addresses():
    person = make_person("Mark Esper", same_as="https://www.wikidata.org/wiki/Q1\nnot a url")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "same_as" in error.value.message_dict


def test_every_iso_country_is_loaded_with_its_name():
    assert Country.objects.count() >= 249
    assert country("MA").name == "Morocco"
    assert country("MA").get_absolute_url() == "/countries/ma/"


def test_partners_come_in_the_order_editors_set():
    make_organisation("Zeta Review", is_partner=True, partner_order=1)
    make_organisation("Alpha Forum", is_partner=True, partner_order=2)
    make_organisation("Not a partner")
    assert [o.name for o in Organisation.objects.partners()] == ["Zeta Review", "Alpha Forum"]


def test_an_organisation_cannot_be_inside_itself():
    department = make_organisation("Department of Defense")
    forces = make_organisation("Armed Forces", parent=department)
    department.parent = forces
    with pytest.raises(ValidationError):
        department.full_clean()


@pytest.mark.parametrize(
    "value, expected",
    [("2019", "2019"), ("2019-07", "July 2019"), ("2019-07-23", "23 July 2019")],
)
def test_partial_dates_read_as_a_newsroom_writes_them(value, expected):
    assert partial_dates.humanize(value) == expected


@pytest.mark.parametrize("value", ["July 2019", "2019-13", "2019-02-30", "19"])
def test_invalid_partial_dates_are_refused_with_a_clear_message(value):
    with pytest.raises(ValidationError):
        partial_dates.parse(value)


def test_a_role_reads_like_a_page_would_print_it():
    role = make_role(
        make_person("Mark Esper"),
        make_organisation("United States Department of Defense"),
        title="Secretary of Defense",
        start="2019-07-23",
        end="2020-11",
    )
    assert str(role) == (
        "Secretary of Defense, United States Department of Defense (23 July 2019 – November 2020)"
    )


def test_a_role_cannot_end_before_it_starts_in_the_database():
    with pytest.raises(IntegrityError):
        make_role(make_person(), make_organisation(), start="2020", end="2019")


@pytest.mark.parametrize(
    "day, held",
    [
        (datetime.date(2017, 6, 30), False),
        (datetime.date(2017, 7, 1), True),
        (datetime.date(2023, 9, 30), True),
        (datetime.date(2023, 10, 1), False),
    ],
)
def test_a_role_with_month_precision_is_held_for_the_whole_months(day, held):
    role = make_role(make_person(), make_organisation(), start="2017-07", end="2023-09")
    assert role.held_on(day) is held
    assert Role.objects.held_on(day).filter(pk=role.pk).exists() is held


def test_a_role_without_an_end_is_still_held():
    role = make_role(make_person(), make_organisation(), start="2010")
    assert role.held_on(datetime.date(2030, 1, 1))
    assert Role.objects.held_on(datetime.date(2030, 1, 1)).filter(pk=role.pk).exists()


def test_staff_journalists_link_to_their_author_page(journalist):
    person = make_person("Amina Rahal", user=journalist)
    assert person.get_absolute_url() == "/authors/amina-rahal/"
    assert Person.objects.get(pk=person.pk).is_staff_author


def test_a_role_may_end_in_the_month_it_started():
    role = make_role(make_person(), make_organisation(), start="2017-07-20", end="2017-07")
    role.full_clean()
    assert role.held_on(datetime.date(2017, 7, 25))


@pytest.mark.parametrize(
    "title, organisation, shown",
    [
        (
            "Minister of Foreign Affairs, African Cooperation and Moroccan Expatriates",
            "Ministry of Foreign Affairs, African Cooperation and Moroccan Expatriates",
            "Minister of Foreign Affairs, African Cooperation and Moroccan Expatriates",
        ),
        ("Secretary of Defense", "Department of Defense", "Secretary of Defense"),
        (
            "Chief of Staff of the Royal Armed Forces",
            "Royal Armed Forces",
            "Chief of Staff of the Royal Armed Forces",
        ),
        ("Spokesperson", "NATO", "Spokesperson, NATO"),
        ("Secretary of State", "Department of State", "Secretary of State"),
        ("Minister of Defence", "Ministry of Foreign Affairs", None),
    ],
)
def test_a_role_names_its_organisation_once(db, title, organisation, shown):
    role = make_role(make_person(), make_organisation(organisation), title=title)

    assert role.title_and_organisation == (shown or f"{title}, {organisation}")
