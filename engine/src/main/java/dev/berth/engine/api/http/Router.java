package dev.berth.engine.api.http;

import java.util.List;

/**
 * The routes of one resource (system, events, images, containers, ...), in the manner of
 * moby's {@code api/server/router/<resource>}: a router holds a narrow backend interface and
 * returns its route table; its handlers only map between HTTP and the backend.
 */
public interface Router {
    List<Route> routes();
}
