"""Mention detection and first-mention linking (people/mentions.py)."""

import pytest

from people import mentions
from people.mentions import Matcher, detect_mentions, link_first_mentions
from tests.factories import country, make_organisation, make_person

US = ("country", 1)
DOD = ("organisation", 1)
ARMED_FORCES = ("organisation", 2)
ESPER = ("person", 1)
CHAD = ("country", 2)


@pytest.fixture(autouse=True)
def fresh_matcher():
    # The cached matcher outlives each test's rolled-back rows.
    mentions.invalidate()


@pytest.fixture
def matcher():
    return Matcher(
        [
            (US, "United States of America"),
            (US, "US"),
            (US, "U.S."),
            (DOD, "United States Department of Defense"),
            (DOD, "DoD"),
            (DOD, "US Department of Defense"),
            (DOD, "Department of Defense"),
            (DOD, "US DoD"),
            (ARMED_FORCES, "U.S. armed forces"),
            (ESPER, "Mark Esper"),
            (ESPER, "Esper"),
            (CHAD, "Chad"),
        ]
    )


def found(matcher, text):
    return [(text[start:end], keys) for start, end, keys in matcher.find(text)]


# --- Case -------------------------------------------------------------------


def test_names_match_whatever_their_case(matcher):
    assert found(matcher, "MARK ESPER and mark esper") == [
        ("MARK ESPER", (ESPER,)),
        ("mark esper", (ESPER,)),
    ]


def test_an_all_caps_short_name_matches_only_as_written(matcher):
    assert found(matcher, "He told us the US would stay.") == [("US", (US,))]


def test_a_mixed_case_acronym_matches_only_as_written(matcher):
    assert found(matcher, "The DOD, the dod and the DoD.") == [("DoD", (DOD,))]


def test_the_acronym_inside_a_longer_name_must_be_as_written_too(matcher):
    assert found(matcher, "us department of defense") == [("department of defense", (DOD,))]
    assert found(matcher, "US department of defense") == [("US department of defense", (DOD,))]


def test_a_name_that_is_also_a_lowercase_word_matches_only_capitalised(matcher):
    assert found(matcher, "Lake Chad, and a hanging chad.") == [("Chad", (CHAD,))]


def test_the_case_sensitive_names_can_be_extended_by_setting(db, settings):
    settings.NEWSROOM_MENTIONS_CASE_SENSITIVE_NAMES = ["Mali"]
    mentions.invalidate()
    assert [m.name for m in detect_mentions("Mali, not mali.")] == ["Mali"]
    assert detect_mentions("mali")[0:1] == []


def test_the_acronym_rule_covers_dotted_and_short_forms_only():
    assert all(mentions._is_acronym(word) for word in ["US", "U.S.", "DoD", "FAR", "UNESCO"])
    assert not any(mentions._is_acronym(word) for word in ["Esper", "McDonald", "A", "FRANCES"])


# --- Whole words ------------------------------------------------------------------


def test_a_name_inside_a_longer_word_is_not_a_mention(matcher):
    assert found(matcher, "Esperanto, DoDo, USA, Chadian, MarkEsper") == []


def test_possessives_count_with_straight_or_curly_apostrophe(matcher):
    assert found(matcher, "Esper's trip and Esper’s plane") == [
        ("Esper", (ESPER,)),
        ("Esper", (ESPER,)),
    ]


def test_a_dotted_alias_matches_before_a_hyphen_space_or_full_stop(matcher):
    text = "U.S.-Moroccan ties, U.S.- Moroccan ties, and the U.S."
    assert [name for name, _ in found(matcher, text)] == ["U.S.", "U.S.", "U.S."]


def test_a_dotted_alias_does_not_match_inside_a_longer_abbreviation(matcher):
    assert found(matcher, "U.S.A.") == []


def test_line_breaks_and_no_break_spaces_inside_a_name_still_match(matcher):
    assert found(matcher, "Mark\nEsper, Mark\u00a0Esper, Mark   Esper") == [
        ("Mark\nEsper", (ESPER,)),
        ("Mark\u00a0Esper", (ESPER,)),
        ("Mark   Esper", (ESPER,)),
    ]


# --- Longest match ----------------------------------------------------------------


def test_the_longest_name_wins_over_names_inside_it(matcher):
    assert found(matcher, "the US Department of Defense said") == [
        ("US Department of Defense", (DOD,))
    ]


def test_an_alias_of_an_organisation_beats_the_country_it_starts_with(matcher):
    assert found(matcher, "the US DoD and the U.S. armed forces") == [
        ("US DoD", (DOD,)),
        ("U.S. armed forces", (ARMED_FORCES,)),
    ]


def test_a_shared_name_reports_every_entity_known_by_it():
    shared = Matcher([(("person", 1), "Smith"), (("person", 2), "Smith")])
    assert found(shared, "Smith said") == [("Smith", (("person", 1), ("person", 2)))]


# --- HTML, counts and positions ---------------------------------------------------------


def test_text_in_tags_and_attributes_is_ignored(matcher):
    html = '<p title="Mark Esper"><a href="/esper/">the minister</a> <img alt="DoD"></p>'
    assert detect_mentions(html=html, matcher=matcher) == []


def test_a_name_split_by_inline_markup_is_found(matcher):
    [mention] = detect_mentions(html="<p>Mark <b>Esper</b> spoke.</p>", matcher=matcher)
    assert mention.key == ESPER


def test_entities_come_with_their_count_and_first_position(matcher):
    result = detect_mentions(
        "Esper in Rabat", html="<p>Mark Esper met the DoD.</p><p>Esper left.</p>", matcher=matcher
    )
    assert [(m.key, m.count, m.first) for m in result] == [(ESPER, 3, 0), (DOD, 1, 34)]


def test_entities_are_named_by_their_first_name_given(matcher):
    [mention] = detect_mentions("US", matcher=matcher)
    assert mention.name == "United States of America"


# --- The shared matcher and the database -------------------------------------------------


def test_people_organisations_and_countries_are_found_by_all_their_names(db):
    mentions.invalidate()
    esper = make_person("Mark Esper", aliases="Esper\nSecretary Esper")
    dod = make_organisation("United States Department of Defense", short_name="DoD")
    us = country("US")
    us.aliases = "US\nU.S."
    us.save()
    result = detect_mentions("Esper, the DoD and the U.S.")
    assert [m.entity for m in mentions.resolve(result)] == [esper, dod, us]


def test_the_matcher_is_built_once_and_kept(db, django_assert_num_queries):
    mentions.invalidate()
    first = mentions.get_matcher()
    with django_assert_num_queries(0):
        assert mentions.get_matcher() is first


def test_saving_a_person_rebuilds_the_matcher(db):
    mentions.invalidate()
    mentions.get_matcher()
    person = make_person("Nasser Bourita")
    assert [m.pk for m in detect_mentions("Nasser Bourita met")] == [person.pk]
    person.aliases = "Bourita"
    person.save()
    assert [m.count for m in detect_mentions("Bourita and Nasser Bourita")] == [2]


def test_deleting_an_organisation_rebuilds_the_matcher(db):
    organisation = make_organisation("Administration of National Defence")
    assert detect_mentions("Administration of National Defence")
    organisation.delete()
    assert detect_mentions("Administration of National Defence") == []


def test_renaming_a_country_rebuilds_the_matcher(db):
    morocco = country("MA")
    assert detect_mentions("the Kingdom of Morocco")[0].pk == morocco.pk
    morocco.aliases = "Kingdom of Morocco"
    morocco.save()
    [mention] = detect_mentions("the Kingdom of Morocco")
    assert (mention.pk, mention.first) == (morocco.pk, 4)


def test_resolve_drops_entities_that_no_longer_exist(db):
    assert mentions.resolve([mentions.Mention("person", 987654, "Gone", 1, 0)]) == []


# --- Linking first mentions --------------------------------------------------------------


@pytest.fixture
def esper(db):
    return make_person("Mark Esper", aliases="Esper")


def test_the_first_mention_of_an_entity_is_linked_and_later_ones_are_not(esper):
    html = "<p>Mark Esper arrived.</p><p>Esper left.</p>"
    assert link_first_mentions(html, [esper]) == (
        f'<p><a href="{esper.get_absolute_url()}" class="mention">Mark Esper</a> arrived.</p>'
        "<p>Esper left.</p>"
    )


def test_only_the_entities_given_are_linked(esper):
    make_person("Nasser Bourita")
    html = "<p>Nasser Bourita met Esper.</p>"
    assert link_first_mentions(html, [esper]).count("<a ") == 1


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://example.org/">Mark Esper</a></p>',
        "<h2>Mark Esper</h2>",
        "<h3>Esper</h3>",
        "<h4>Esper</h4>",
        '<figure><img src="https://example.org/e.jpg" alt="Esper"><figcaption>Esper</figcaption></figure>',
    ],
)
def test_mentions_in_links_headings_and_captions_are_never_linked(esper, html):
    assert link_first_mentions(html, [esper]) == html


def test_the_first_mention_outside_a_heading_is_the_one_linked(esper):
    result = link_first_mentions("<h2>Esper abroad</h2><p>Esper flew.</p>", [esper])
    assert result == (
        f'<h2>Esper abroad</h2><p><a href="{esper.get_absolute_url()}" class="mention">'
        "Esper</a> flew.</p>"
    )


def test_linking_keeps_text_escaped(esper):
    html = "<p>&lt;script&gt; &amp; Esper</p>"
    assert link_first_mentions(html, [esper]) == (
        f'<p>&lt;script&gt; &amp; <a href="{esper.get_absolute_url()}" class="mention">'
        "Esper</a></p>"
    )


def test_with_no_entities_the_body_comes_back_unchanged(esper):
    assert link_first_mentions("<p>Esper &amp; co</p>", []) == "<p>Esper &amp; co</p>"


# --- Linked bodies in the cache -------------------------------------------------------


def test_a_body_is_linked_once_and_then_comes_from_the_cache(esper, monkeypatch):
    html = "<p>Mark Esper arrived.</p>"
    first = mentions.linked_first_mentions(html, [esper])
    monkeypatch.setattr(mentions, "link_first_mentions", pytest.fail)
    assert mentions.linked_first_mentions(html, [esper]) == first
    assert first == link_first_mentions(html, [esper])


def test_a_new_page_address_relinks_the_body(esper):
    html = "<p>Mark Esper arrived.</p>"
    mentions.linked_first_mentions(html, [esper])
    esper.slug = "mark-t-esper"
    esper.save()
    assert 'href="/people/mark-t-esper/"' in mentions.linked_first_mentions(html, [esper])


def test_a_new_name_anywhere_relinks_the_body(db):
    # "US Department of Defense" becomes the department's name (not linked
    # here), so the country inside it is no longer a mention of its own.
    us = country("US")
    us.aliases = "US"
    us.save()
    html = "<p>The US Department of Defense said so.</p>"
    assert "<a " in mentions.linked_first_mentions(html, [us])
    make_organisation("US Department of Defense")
    assert "<a " not in mentions.linked_first_mentions(html, [us])
