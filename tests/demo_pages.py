"""One page of each public page type in the demo newsroom (`load_demo`)."""

PUBLIC_PAGES = {
    "home": "/",
    "article": "/2020/10/02/us-and-morocco-sign-ten-year-defence-roadmap/",
    "person": "/people/mark-esper/",
    "organisation": "/organisations/united-states-department-of-defense/",
    "country": "/countries/ma/",
    "tag": "/tag/defence-cooperation/",
    "section": "/section/news/",
    "author": "/authors/samir-tazi/",
    "search": "/search/?q=roadmap+Morocco",
}
