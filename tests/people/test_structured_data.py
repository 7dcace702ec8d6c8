"""JSON-LD on person, author, organisation and country pages (issue 7, part 4)."""

import pytest
from django.utils import timezone

from tests.factories import (
    country,
    make_image,
    make_organisation,
    make_person,
    make_role,
    make_story_about,
    make_user,
)
from tests.json_ld import json_ld, one, urls_in

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture(autouse=True)
def site(settings):
    settings.NEWSROOM_SITE_URL = SITE


def blocks_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return json_ld(response)


def test_a_person_page_describes_the_person_with_same_as_links(client):
    person = make_person(
        "Mark Esper",
        description="Former US Secretary of Defense",
        same_as="https://www.wikidata.org/wiki/Q20707946",
    )
    make_story_about(person)
    data = one(blocks_of(client, person.get_absolute_url()), "Person")
    assert data["@context"] == "https://schema.org"
    assert data["@id"] == f"{SITE}/people/mark-esper/#person"
    assert data["name"] == "Mark Esper"
    assert data["url"] == f"{SITE}/people/mark-esper/"
    assert data["description"] == "Former US Secretary of Defense"
    assert data["sameAs"] == ["https://www.wikidata.org/wiki/Q20707946"]


def test_a_person_page_gives_the_roles_held_today_as_job_title_and_affiliation(client):
    person = make_person("Abdellatif Loudiyi")
    far = make_organisation("Royal Armed Forces")
    make_role(person, far, title="Minister Delegate for National Defence", start="2010")
    make_role(person, make_organisation("Old Ministry"), title="Adviser", start="2000", end="2005")
    make_story_about(person, far)
    data = one(blocks_of(client, person.get_absolute_url()), "Person")
    assert data["jobTitle"] == "Minister Delegate for National Defence"
    assert data["affiliation"] == {
        "@type": "Organization",
        "@id": f"{SITE}/organisations/royal-armed-forces/#organisation",
        "name": "Royal Armed Forces",
        "url": f"{SITE}/organisations/royal-armed-forces/",
    }


def test_an_affiliation_without_a_public_page_is_named_without_its_address(client):
    person = make_person("Abdellatif Loudiyi")
    make_role(person, make_organisation("Draft-only Agency"), title="Director", start="2010")
    make_story_about(person)
    data = one(blocks_of(client, person.get_absolute_url()), "Person")
    assert data["affiliation"] == {"@type": "Organization", "name": "Draft-only Agency"}


def test_a_person_without_roles_has_no_job_title(client):
    person = make_person("Nobody Special")
    make_story_about(person)
    data = one(blocks_of(client, person.get_absolute_url()), "Person")
    assert "jobTitle" not in data and "affiliation" not in data


def test_an_author_page_describes_the_journalist(client):
    author = make_person("Samir Tazi", user=make_user(), description="Defence correspondent")
    data = one(blocks_of(client, author.get_absolute_url()), "Person")
    assert data["url"] == f"{SITE}/authors/samir-tazi/"
    assert data["@id"] == f"{SITE}/authors/samir-tazi/#person"
    assert data["description"] == "Defence correspondent"


def test_an_organisation_page_describes_the_organisation(client):
    parent = make_organisation("United States Government")
    dod = make_organisation(
        "United States Department of Defense",
        short_name="DoD",
        website="https://www.defense.gov/",
        same_as="https://www.wikidata.org/wiki/Q11209\nhttps://www.defense.gov/",
        parent=parent,
    )
    make_story_about(dod, parent)
    data = one(blocks_of(client, dod.get_absolute_url()), "Organization")
    assert data["name"] == "United States Department of Defense"
    assert data["alternateName"] == "DoD"
    assert data["url"] == f"{SITE}/organisations/united-states-department-of-defense/"
    # The website counts once, however often it is listed.
    assert data["sameAs"] == ["https://www.defense.gov/", "https://www.wikidata.org/wiki/Q11209"]
    assert data["parentOrganization"]["name"] == "United States Government"
    assert data["parentOrganization"]["url"] == f"{SITE}/organisations/united-states-government/"


def test_a_parent_organisation_without_a_public_page_is_named_without_its_address(client):
    dod = make_organisation(
        "United States Department of Defense", parent=make_organisation("Draft-only Parent")
    )
    make_story_about(dod)
    data = one(blocks_of(client, dod.get_absolute_url()), "Organization")
    assert data["parentOrganization"] == {"@type": "Organization", "name": "Draft-only Parent"}


def test_an_organisation_logo_is_the_absolute_url_of_a_rendition(client):
    logo = make_image("Logo Org logo", pixels=(800, 400))
    organisation = make_organisation("Logo Org", logo=logo)
    make_story_about(organisation)
    data = one(blocks_of(client, organisation.get_absolute_url()), "Organization")
    rendition = logo.renditions.get(spec="w640.jpg")
    assert data["logo"] == f"{SITE}{rendition.url}"


def test_a_person_image_is_the_absolute_url_of_a_square_rendition(client):
    photo = make_image("Mark Esper", pixels=(900, 1200))
    person = make_person("Mark Esper", photo=photo)
    make_story_about(person)
    data = one(blocks_of(client, person.get_absolute_url()), "Person")
    rendition = photo.renditions.get(spec__startswith="fill-480x480-", spec__endswith=".jpg")
    assert data["image"] == f"{SITE}{rendition.url}"


def test_a_country_page_describes_the_country(client):
    make_story_about(country("MA"))
    data = one(blocks_of(client, "/countries/ma/"), "Country")
    assert data["name"] == country("MA").name
    assert data["url"] == f"{SITE}/countries/ma/"


def test_the_same_person_has_the_same_id_on_their_page_and_in_stories(client):
    from tests.factories import make_article

    person = make_person("Mark Esper")
    story = make_article(people=[person], published_at=timezone.now())
    on_page = one(blocks_of(client, person.get_absolute_url()), "Person")
    [in_story] = [
        block for block in blocks_of(client, story.get_absolute_url()) if "mentions" in block
    ]
    assert in_story["mentions"][0]["@id"] == on_page["@id"]


def test_every_url_on_entity_pages_is_absolute(client):
    person = make_person("Mark Esper", photo=make_image("Mark Esper"))
    make_role(person, make_organisation("DoD", website="https://www.defense.gov/"), start="2019")
    make_story_about(person)
    urls = list(urls_in(blocks_of(client, person.get_absolute_url())))
    assert any(url.startswith(f"{SITE}/media/renditions/") for url in urls)
    assert all(url.startswith(("http://", "https://")) for url in urls)
