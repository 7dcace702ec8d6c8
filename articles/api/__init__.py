"""The public read API at /api/v1/ (docs/api.md).

Built on the site's one visibility rule: every story it shows comes from
`Article.objects.published()`, every tag, person, organisation and country
from the "has a public story" rule (`TopicQuerySet.in_public_stories`,
`tags_in_public_stories`). A partner key raises the request limits and
nothing else: no key ever reaches an unpublished story.
"""
