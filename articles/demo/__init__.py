"""Content for `manage.py load_demo`: the publication "New Defence Order. Strategy".

`entities.py` holds the facts (people, organisations, countries, sections, accounts),
taken from the seed's entities.json; `stories.py` holds the stories, written for the
demo in our own words. The seed article itself is third-party prose and is not used.
"""
