# The application servers Varnish fetches from: one `backend` per server, all
# in the round-robin director below. Included by newsroom.vcl.

import directors;

probe newsroom_up {
    # robots.txt is cheap to answer; a server that fails it five times in a row
    # is left out until it answers again, and stale pages are served meanwhile.
    .url = "/robots.txt";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
}

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = newsroom_up;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = newsroom_up;
}

sub vcl_init {
    new newsroom = directors.round_robin();
    newsroom.add_backend(app1);
    newsroom.add_backend(app2);
}

sub vcl_recv {
    set req.backend_hint = newsroom.backend();
}
