/**
 * The Containers pane: {@code ContainersView} (table, toolbar, context menu, details area) bound
 * to {@code ContainersViewModel}; the Run dialog over {@code RunRequest} (the form's values
 * checked with Docker's rules and turned into Docker's create body); {@code ContainersClient},
 * the pane's calls over the Docker Engine API (so embedded and remote engines are driven
 * alike); {@code ContainerStatsSampler}, one stats stream per running container.
 * The table follows container events and re-reads only the container an event names.
 * Never: engine calls from the view or on the JavaFX thread, polling the list on a timer, or
 * references to the details tabs ({@code containers.details}), which are handed in through
 * {@code ContainersView.setDetails}.
 */
package dev.berth.app.containers;
