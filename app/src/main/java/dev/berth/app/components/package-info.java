/**
 * Small view building blocks shared by panes: the pane header, the empty state, pane buttons and
 * context-menu items, table columns (text, created, size), row actions (menu, double click,
 * Delete), the status line, modal dialogs and the danger confirmation, table selection kept
 * across refreshes. Views only: they bind to texts from {@link dev.berth.app.i18n.Localization}
 * and never call an engine.
 */
package dev.berth.app.components;
