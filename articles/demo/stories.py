"""The demo stories, written for the demo in our own words.

The facts come from the seed's entities.json and the public record of Mark Esper's
North Africa tour (30 September to 2 October 2020). No sentence is taken from the
seed article; `tests/articles/test_demo.py` checks that. The only quoted speech is
from our own (fictional) staff.

People are named by slug, organisations by slug, countries by ISO code, sections by
slug, bylines by the staff person's slug (in printed order), `created_by` by username.
"""

import re
from datetime import UTC, datetime


def _at(*args):
    return datetime(*args, tzinfo=UTC)


def _html(text):
    """Unwrap the source lines: one line per block element, as the editor saves it."""
    text = " ".join(text.split())
    return re.sub(r"(</(?:p|h2|li|ul|blockquote)>|<(?:ul|blockquote)>) ", r"\1\n", text)


EVERYONE_IN_RABAT = [
    "mark-esper",
    "nasser-bourita",
    "abdellatif-loudiyi",
    "abdelfattah-louarak",
]

# The story the publication was built around: the signing in Rabat.
MAIN_STORY = "us-and-morocco-sign-ten-year-defence-roadmap"

STORIES = [
    {
        "slug": "esper-takes-north-africa-tour-to-algiers",
        "headline": "Esper takes North Africa tour to Algiers after opening in Tunisia",
        "standfirst": "The US defence secretary is using a three-country trip to press "
        "for closer security ties in a region unsettled by armed groups and by "
        "competition between outside powers.",
        "section": "news",
        "type_of_work": "NEWS",
        "published_at": _at(2020, 10, 1, 17, 0),
        "bylines": ["samir-tazi"],
        "created_by": "journalist",
        "people": ["mark-esper"],
        "organisations": ["united-states-department-of-defense"],
        "countries": ["US", "TN", "DZ", "MA"],
        "tags": ["North Africa", "counterterrorism", "defence cooperation"],
        "related": [MAIN_STORY],
        "body": _html("""
<p>Mark Esper reached Algiers on Thursday, the middle leg of a tour of North Africa
that opened in Tunisia on Wednesday and is due to end in Morocco on Friday.</p>
<p>The Pentagon has set out two aims for the trip: a more stable region, and partner
forces that can work smoothly alongside American ones. The Algiers stop is the first
by a US defence secretary since 2006.</p>
<h2>Three capitals, three conversations</h2>
<p>In Tunisia, Esper spoke at the North Africa American Cemetery in Carthage, where
Americans killed in the Second World War campaign in the region are buried, and held
talks with Tunisian leaders.</p>
<p>Algeria is a harder case for Washington. It has long prized its independence from
military blocs and buys most of its weapons from Russia, so even a short visit by
the Pentagon's chief carries weight there.</p>
<p>Morocco, the last stop, is among the closest US military partners in Africa and
has been a major non-NATO ally of the United States since 2004.</p>
<h2>Why the region matters now</h2>
<p>The trip comes as the war in Libya and attacks by armed groups across the Sahel keep
security at the top of North African governments' agendas, and as the United States
tries to limit the reach of China and Russia on the continent.</p>
"""),
    },
    {
        "slug": MAIN_STORY,
        # The editors' pick for the front page: the lead, then two top stories.
        "home_position": 1,
        "headline": "US and Morocco sign ten-year defence Roadmap in Rabat",
        "standfirst": "Mark Esper ended his North Africa tour by agreeing a plan for "
        "military cooperation with Morocco that runs until 2030.",
        "section": "news",
        "type_of_work": "NEWS",
        "published_at": _at(2020, 10, 2, 15, 30),
        "bylines": ["samir-tazi"],
        "created_by": "journalist",
        "people": EVERYONE_IN_RABAT,
        "organisations": [
            "united-states-department-of-defense",
            "united-states-armed-forces",
            "royal-moroccan-armed-forces",
            "moroccan-ministry-of-foreign-affairs",
            "administration-of-national-defence",
        ],
        "countries": ["US", "MA", "DZ", "TN"],
        "tags": [
            "defence cooperation",
            "Exercise African Lion",
            "counterterrorism",
            "interoperability",
            "North Africa",
        ],
        "related": [
            "esper-takes-north-africa-tour-to-algiers",
            "exercise-african-lion-at-the-heart-of-us-moroccan-ties",
            "explainer-the-us-morocco-defence-roadmap-through-2030",
            "why-washington-wants-a-ten-year-plan-with-rabat",
        ],
        "correction": {
            "kind": "CORRECTION",
            "created_at": _at(2020, 10, 2, 18, 10),
            "text": "An earlier version of this story gave Abdelfattah Louarak the "
            "rank of major general. He is a lieutenant general.",
        },
        "body": _html("""
<p>The United States and Morocco signed a roadmap for defence cooperation in Rabat on
Friday, fixing the priorities of their military relationship for the next ten years.</p>
<p>US Secretary of Defense Mark Esper signed during the final stop of a North Africa
tour that had already taken him to Tunisia and Algeria this week.</p>
<p>In the Moroccan capital he held separate meetings with Foreign Minister Nasser
Bourita; with Abdellatif Loudiyi, the minister delegate who heads the Administration
of National Defence; and with Lieutenant General Abdelfattah Louarak, the Inspector
General of the Royal Moroccan Armed Forces.</p>
<h2>What the two sides agreed</h2>
<p>The roadmap names broad areas of work rather than individual programmes. In the
Pentagon's summary of the visit they are:</p>
<ul>
<li>building up what Morocco's armed forces are able to do;</li>
<li>helping the two militaries operate together;</li>
<li>keeping Moroccan units ready for operations;</li>
<li>supporting Morocco's part in the security of the wider region.</li>
</ul>
<p>American officials cast the agreement as one piece of a wider effort against
instability in Africa. According to the Pentagon, the talks covered extremist
violence in the region and pressure from rival foreign powers.</p>
<h2>Built on years of joint training</h2>
<p>The new plan formalises a relationship that is already busy. American and Moroccan
forces meet in more than a hundred military activities a year, including recent
naval and air drills between the two countries.</p>
<p>Esper gave particular weight to Exercise African Lion, the largest annual exercise
run by US Africa Command, which Morocco hosts and which brings in forces from across
Africa. This year's edition was cancelled because of the coronavirus pandemic.</p>
<p>Speaking after the signing, Esper listed terrorism, threats that cross borders and
regional instability among the problems the two countries now tackle together.</p>
"""),
    },
    {
        "slug": "exercise-african-lion-at-the-heart-of-us-moroccan-ties",
        "home_position": 3,
        "headline": "Exercise African Lion at the heart of US–Moroccan military ties",
        "standfirst": "Called off this year by the pandemic, the annual exercise was "
        "singled out in Rabat as a pillar of the new ten-year roadmap.",
        "section": "news",
        "type_of_work": "NEWS",
        "published_at": _at(2020, 10, 3, 9, 0),
        "bylines": ["samir-tazi", "helen-ashcombe"],
        "created_by": "journalist",
        "people": ["mark-esper", "abdelfattah-louarak"],
        "organisations": [
            "united-states-armed-forces",
            "royal-moroccan-armed-forces",
        ],
        "countries": ["US", "MA"],
        "tags": ["Exercise African Lion", "interoperability", "defence cooperation"],
        "related": [
            MAIN_STORY,
            "explainer-the-us-morocco-defence-roadmap-through-2030",
        ],
        "body": _html("""
<p>Of everything discussed when Mark Esper signed a ten-year defence plan with Morocco
on Friday, one training event stood out: Exercise African Lion.</p>
<p>The exercise takes place every year, mostly on Moroccan territory, and is the
biggest that US Africa Command organises. Its value to planners lies in who turns up:
alongside American and Moroccan troops it brings in units from other African
countries and from further afield.</p>
<h2>What the exercise trains</h2>
<ul>
<li>ground manoeuvres in desert terrain;</li>
<li>air and maritime operations;</li>
<li>running a headquarters staffed by several nations at once;</li>
<li>medical and humanitarian help for civilians near the exercise areas.</li>
</ul>
<h2>A lost year</h2>
<p>The 2020 edition was cancelled in the spring as the coronavirus spread, one of many
large exercises dropped around the world. Both armies are now looking to 2021.</p>
<p>For the Royal Moroccan Armed Forces, whose Inspector General, Abdelfattah Louarak,
met Esper in Rabat, African Lion is also a showcase: a chance to host partners at
scale and to show that Moroccan units can plug into a multinational command.</p>
<p>In Rabat, Esper described the exercise as important well beyond the two countries
that run it, because of the many African forces that take part.</p>
"""),
    },
    {
        "slug": "explainer-the-us-morocco-defence-roadmap-through-2030",
        "home_position": 2,
        "headline": "Explainer: the US–Morocco defence Roadmap through 2030",
        "standfirst": "What was signed in Rabat, what it asks of each side, and what "
        "it leaves open.",
        "section": "analysis",
        "type_of_work": "EXPLAINER",
        "published_at": _at(2020, 10, 4, 10, 0),
        "bylines": ["helen-ashcombe"],
        "created_by": "editor",
        "people": EVERYONE_IN_RABAT,
        "organisations": [
            "united-states-department-of-defense",
            "royal-moroccan-armed-forces",
            "administration-of-national-defence",
        ],
        "countries": ["US", "MA"],
        "tags": ["defence cooperation", "interoperability"],
        "related": [
            MAIN_STORY,
            "exercise-african-lion-at-the-heart-of-us-moroccan-ties",
        ],
        "body": _html("""
<h2>What is it?</h2>
<p>A framework for military cooperation between the United States and Morocco, signed
in Rabat on 2 October 2020 during a visit by US Secretary of Defense Mark Esper. It
covers the ten years from 2020 to 2030.</p>
<h2>What does it cover?</h2>
<p>Four broad aims: stronger Moroccan military capabilities, forces that can work
together, units that are ready to deploy, and backing for Morocco's role in regional
security.</p>
<h2>Does it commit money or weapons?</h2>
<p>Not by itself. A roadmap of this kind sets priorities. Arms sales, training courses
and exercises are still agreed one by one, and American arms sales still need
approval in Washington.</p>
<h2>Who took part?</h2>
<ul>
<li>Mark Esper, US Secretary of Defense;</li>
<li>Nasser Bourita, Morocco's foreign minister;</li>
<li>Abdellatif Loudiyi, the minister delegate in charge of national defence;</li>
<li>Lieutenant General Abdelfattah Louarak, Inspector General of the Moroccan armed
forces.</li>
</ul>
<h2>Why ten years?</h2>
<p>A long horizon gives planners in both capitals a fixed point of reference that
outlasts budgets, elections and changes of personnel. Whether it is followed will
depend on what each side funds year by year.</p>
"""),
    },
    {
        "slug": "why-washington-wants-a-ten-year-plan-with-rabat",
        "headline": "Why Washington wants a ten-year plan with Rabat",
        "standfirst": "The roadmap signed last week says as much about American "
        "worries in Africa as about Morocco itself.",
        "section": "analysis",
        "type_of_work": "ANALYSIS",
        "published_at": _at(2020, 10, 5, 8, 0),
        "bylines": ["helen-ashcombe"],
        "created_by": "editor",
        "people": ["mark-esper", "nasser-bourita"],
        "organisations": [
            "united-states-department-of-defense",
            "royal-moroccan-armed-forces",
        ],
        "countries": ["US", "MA", "DZ", "TN"],
        "tags": ["defence cooperation", "North Africa", "counterterrorism"],
        "related": [MAIN_STORY, "a-signing-ceremony-is-the-easy-part"],
        "body": _html("""
<p>On paper, the defence roadmap that the United States and Morocco signed on 2 October
changes little. The two countries already train together constantly, and Morocco has
counted as a major non-NATO ally since 2004. So why write it down now, and for a
whole decade?</p>
<h2>A fixed point in a shifting region</h2>
<p>Look at the map. To the east, Libya remains divided by war. To the south, armed
groups operate across the Sahel faster than its governments can respond. Morocco,
with its stable institutions and its coastline on both the Atlantic and the
Mediterranean, is a partner Washington expects still to be there in ten years.</p>
<h2>Competition, not only counterterrorism</h2>
<p>The Pentagon's language during the tour went beyond extremism. Officials spoke of
coercion by foreign powers, a phrase that in American strategy documents usually
means China and Russia. A long-term plan with a friendly government is one way to
make sure US equipment and doctrine stay the standard in Rabat.</p>
<h2>Balancing Algiers</h2>
<p>The order of the tour mattered too. Esper went to Algiers the day before Rabat,
the first such visit in well over a decade. The two neighbours remain at odds,
above all over Western Sahara, and Washington seems keen to show it can deepen ties
with Morocco without closing the door on Algeria.</p>
<p>Whether the roadmap becomes more than a statement of intent will depend on
budgets, arms approvals and the next American administration, whose make-up will be
decided at the polls next month.</p>
"""),
    },
    {
        "slug": "a-signing-ceremony-is-the-easy-part",
        "headline": "A signing ceremony is the easy part of a ten-year plan",
        "standfirst": "The US–Morocco roadmap deserves a welcome. It also deserves "
        "scrutiny, and its authors should make that possible.",
        "section": "opinion",
        "type_of_work": "OPINION",
        "published_at": _at(2020, 10, 7, 8, 0),
        "bylines": ["helen-ashcombe"],
        "created_by": "editor",
        "people": ["mark-esper", "abdellatif-loudiyi"],
        "organisations": [
            "united-states-department-of-defense",
            "administration-of-national-defence",
        ],
        "countries": ["US", "MA"],
        "tags": ["defence cooperation"],
        "related": ["why-washington-wants-a-ten-year-plan-with-rabat", MAIN_STORY],
        "body": _html("""
<p>Defence agreements are easy to sign and easy to forget. The roadmap agreed in Rabat
last Friday has real merits: it gives two old partners a shared timetable, and it
puts training and readiness ahead of headline arms deals. But a ten-year plan is
judged in its eighth year, not on its first day.</p>
<h2>Three things worth asking for</h2>
<ul>
<li><strong>Publish the text.</strong> Readers in both countries have seen only
summaries. The priorities are not secret; the document setting them out should not
be either.</li>
<li><strong>Report on progress.</strong> A short public review every two years would
show whether the plan is guiding decisions or gathering dust.</li>
<li><strong>Let parliaments look.</strong> Legislators in Washington and Rabat vote the
money that turns a roadmap into training, equipment and exercises. They should be
told what it is for.</li>
</ul>
<h2>Beyond one administration</h2>
<p>The United States votes in a month. Morocco's partners change, its region changes,
and so does the American appetite for commitments abroad. The best protection for an
agreement meant to last a decade is a record of results that any future government
would be reluctant to throw away.</p>
<p>The signatories have drawn the road. Now they should let the rest of us watch them
travel it.</p>
"""),
    },
    {
        "slug": "three-capitals-three-conversations-our-correspondent-on-esper-tour",
        "headline": "‘Three capitals, three conversations’: our correspondent on Esper's tour",
        "standfirst": "Samir Tazi followed the US defence secretary through Tunisia, "
        "Algeria and Morocco. Our defence editor asked him what he saw.",
        "section": "interviews",
        "type_of_work": "INTERVIEW",
        "published_at": _at(2020, 10, 9, 12, 0),
        "bylines": ["helen-ashcombe"],
        "credit": "Edited for length",
        "created_by": "editor",
        "people": EVERYONE_IN_RABAT,
        "organisations": [
            "united-states-department-of-defense",
            "royal-moroccan-armed-forces",
        ],
        "countries": ["US", "TN", "DZ", "MA"],
        "tags": ["North Africa", "defence cooperation", "Exercise African Lion"],
        "related": ["esper-takes-north-africa-tour-to-algiers", MAIN_STORY],
        "body": _html("""
<p><strong>Helen Ashcombe:</strong> Three countries in three days. Was it one trip or
three?</p>
<p><strong>Samir Tazi:</strong> Three, really. Tunisia was about memory and
reassurance, with the visit to the American war cemetery at Carthage. Algeria was
about opening a door that had been mostly closed. Morocco was about putting on paper
something that already works.</p>
<h2>The Rabat signing</h2>
<p><strong>Helen Ashcombe:</strong> Did anything in Rabat surprise you?</p>
<p><strong>Samir Tazi:</strong> How practical the conversation was. Less talk of grand
strategy, more of training calendars, readiness and African Lion, and how soon it
can come back after this year's cancellation.</p>
<blockquote>
<p>The roadmap is less a new direction than a promise to keep going in the same one
for ten years.</p>
</blockquote>
<h2>What to watch</h2>
<p><strong>Helen Ashcombe:</strong> What should readers look out for next?</p>
<p><strong>Samir Tazi:</strong> The 2021 exercise calendar, any arms sale that goes to
Congress, and whether Washington follows up in Algiers. That last one will tell us
whether this tour was a one-off or the start of a habit.</p>
"""),
    },
]

# Never published: shows the workflow, and must never appear on public pages.
DRAFT_STORY = {
    "slug": "draft-african-lion-2021-planners-weigh-a-larger-exercise",
    "headline": "DRAFT – African Lion 2021: planners weigh a larger exercise",
    "standfirst": "Not for publication: notes towards a story on next year's exercise.",
    "section": "news",
    "type_of_work": "NEWS",
    "published_at": None,
    "bylines": ["samir-tazi"],
    "created_by": "journalist",
    "people": [],
    "organisations": ["royal-moroccan-armed-forces", "united-states-armed-forces"],
    "countries": ["US", "MA"],
    "tags": ["Exercise African Lion"],
    "related": ["exercise-african-lion-at-the-heart-of-us-moroccan-ties"],
    "body": _html("""
<p>Working notes. Check dates and locations with the US Africa Command press office
before filing.</p>
<ul>
<li>Which countries have confirmed they will send troops?</li>
<li>Will the exercise use the same areas of southern Morocco as before?</li>
</ul>
"""),
}
