"""Who and what the demo stories are about, plus the demo's own newsroom.

Facts follow the seed's entities.json. Partial dates stay partial ("2010-01" means
some time in January 2010). `same_as` holds only links we are sure of; the rest stay
empty for an editor to fill in.
"""

PUBLICATION_NAME = "New Defence Order. Strategy"

# The demo accounts share one password, printed by the command. DEBUG only.
DEMO_PASSWORD = "newsroom-demo"

# ISO codes of the countries the stories are about. The rows themselves come from
# the ISO 3166 migration; the demo only adds aliases.
COUNTRIES = ["MA", "US", "DZ", "TN"]

COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "USA"],
}

# Listed parents first, so a parent exists before its children.
ORGANISATIONS = [
    {
        "name": "United States Department of Defense",
        "slug": "united-states-department-of-defense",
        "short_name": "DoD",
        "aliases": [
            "US Department of Defense",
            "U.S. Department of Defense",
            "Department of Defense",
            "US DoD",
            "Pentagon",
        ],
        "kind": "GOVERNMENT_DEPARTMENT",
        "country": "US",
        "description": "The US federal department in charge of the armed forces.",
        "website": "https://www.defense.gov/",
        "same_as": [
            "https://www.defense.gov/",
            "https://en.wikipedia.org/wiki/United_States_Department_of_Defense",
        ],
    },
    {
        "name": "United States Armed Forces",
        "slug": "united-states-armed-forces",
        "aliases": ["U.S. armed forces", "US armed forces"],
        "kind": "ARMED_FORCES",
        "country": "US",
        "parent": "United States Department of Defense",
        "description": "The military forces of the United States.",
        "same_as": ["https://en.wikipedia.org/wiki/United_States_Armed_Forces"],
    },
    {
        "name": "Royal Moroccan Armed Forces",
        "slug": "royal-moroccan-armed-forces",
        "short_name": "FAR",
        "aliases": ["Forces Armées Royales"],
        "kind": "ARMED_FORCES",
        "country": "MA",
        "description": "The military forces of the Kingdom of Morocco.",
        "same_as": ["https://en.wikipedia.org/wiki/Royal_Moroccan_Armed_Forces"],
    },
    {
        "name": "Ministry of Foreign Affairs, African Cooperation and Moroccan Expatriates",
        "slug": "moroccan-ministry-of-foreign-affairs",
        "aliases": ["Moroccan Ministry of Foreign Affairs"],
        "kind": "MINISTRY",
        "country": "MA",
        "description": "Morocco's foreign ministry.",
    },
    {
        "name": "Administration of National Defence",
        "slug": "administration-of-national-defence",
        "aliases": ["National Defence Administration"],
        "kind": "GOVERNMENT_DEPARTMENT",
        "country": "MA",
        "description": "The Moroccan government department that runs national defence.",
    },
]

PEOPLE = [
    {
        "name": "Mark Esper",
        "slug": "mark-esper",
        "aliases": ["Esper", "Mark T. Esper", "Secretary Esper"],
        "country": "US",
        "description": "US Secretary of Defense from July 2019 to November 2020.",
        "same_as": ["https://en.wikipedia.org/wiki/Mark_Esper"],
        "roles": [
            {
                "title": "Secretary of Defense",
                "organisation": "United States Department of Defense",
                "start": "2019-07-23",
                "end": "2020-11-09",
            }
        ],
    },
    {
        "name": "Nasser Bourita",
        "slug": "nasser-bourita",
        "aliases": ["Bourita"],
        "country": "MA",
        "description": "Morocco's Minister of Foreign Affairs since April 2017.",
        "same_as": ["https://en.wikipedia.org/wiki/Nasser_Bourita"],
        "roles": [
            {
                "title": "Minister of Foreign Affairs, African Cooperation "
                "and Moroccan Expatriates",
                "organisation": "Ministry of Foreign Affairs, African Cooperation "
                "and Moroccan Expatriates",
                "start": "2017-04-05",
                "end": "",
            }
        ],
    },
    {
        "name": "Abdellatif Loudiyi",
        "slug": "abdellatif-loudiyi",
        "aliases": ["Loudiyi"],
        "country": "MA",
        "description": "Moroccan minister delegate in charge of national defence.",
        "roles": [
            {
                "title": "Minister Delegate in charge of the Administration of National Defence",
                "organisation": "Administration of National Defence",
                "start": "2010-01",
                "end": "",
            }
        ],
    },
    {
        "name": "Abdelfattah Louarak",
        "slug": "abdelfattah-louarak",
        "aliases": ["Louarak", "Lieutenant General Abdelfattah Louarak"],
        "country": "MA",
        "description": "Inspector General of the Royal Moroccan Armed Forces, 2017–2023.",
        "roles": [
            {
                "title": "Inspector General of the Royal Moroccan Armed Forces",
                "organisation": "Royal Moroccan Armed Forces",
                "start": "2017-07",
                "end": "2023-09",
            }
        ],
    },
]

SECTIONS = [
    {
        "name": "News",
        "slug": "news",
        "order": 1,
        "description": "What happened, reported and checked.",
    },
    {
        "name": "Analysis",
        "slug": "analysis",
        "order": 2,
        "description": "What the news means and what may come next.",
    },
    {
        "name": "Opinion",
        "slug": "opinion",
        "order": 3,
        "description": "Argument, clearly labelled as such.",
    },
    {
        "name": "Interviews",
        "slug": "interviews",
        "order": 4,
        "description": "Conversations with the people who know.",
    },
]

TOPICS = [
    "defence cooperation",
    "Exercise African Lion",
    "counterterrorism",
    "interoperability",
    "North Africa",
]

# Invented for the demo; example.org addresses make that plain.
PARTNERS = [
    {
        "name": "Sahel Security Review",
        "slug": "sahel-security-review",
        "kind": "MEDIA",
        "partner_order": 1,
        "website": "https://example.org/sahel-security-review/",
        "description": "A fictional quarterly on security in the Sahel (demo partner).",
    },
    {
        "name": "Atlantic Defence Forum",
        "slug": "atlantic-defence-forum",
        "kind": "OTHER",
        "partner_order": 2,
        "website": "https://example.org/atlantic-defence-forum/",
        "description": "A fictional conference on Atlantic security (demo partner).",
    },
]

# The demo accounts. `staff_person` makes a byline-able Person for the account;
# the names are invented.
ACCOUNTS = [
    {
        "username": "admin",
        "first_name": "Demo",
        "last_name": "Administrator",
        "is_superuser": True,
        "group": None,
    },
    {
        "username": "editor",
        "first_name": "Helen",
        "last_name": "Ashcombe",
        "is_superuser": False,
        "group": "Editors",
        "staff_person": {
            "slug": "helen-ashcombe",
            "description": "Defence editor (fictional demo author).",
        },
    },
    {
        "username": "journalist",
        "first_name": "Samir",
        "last_name": "Tazi",
        "is_superuser": False,
        "group": "Journalists",
        "staff_person": {
            "slug": "samir-tazi",
            "description": "North Africa correspondent (fictional demo author).",
        },
    },
]
