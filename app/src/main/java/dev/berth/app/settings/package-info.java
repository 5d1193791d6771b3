/**
 * The user's preferences (language, theme) and the Settings pane. Stored as JSON in
 * {@code $XDG_CONFIG_HOME/berth/settings.json} (else {@code ~/.config/berth/settings.json}),
 * written atomically; a file that cannot be read is kept aside, never silently overwritten.
 * Registries ({@code RegistriesViewModel}, {@code LoginDialog}): logins go to the engine, which
 * checks and keeps them; mirrors and insecure registries are the engine's own settings (its
 * {@code config.json} when embedded, read-only from {@code /info} for a remote engine), not the
 * app's. A password is held only until it is sent, and never shown or logged.
 */
package dev.berth.app.settings;
