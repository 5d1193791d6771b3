package dev.berth.app.i18n;

import dev.berth.ui.UiResources;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;

import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The current language and the texts in it. Texts are looked up in the bundles of
 * ui-resources; a missing key fails at once ({@link java.util.MissingResourceException}).
 * Bindings from {@link #text} follow {@link #languageProperty()}, so a language switch
 * relabels the whole window live. Patterns with arguments are MessageFormat patterns.
 */
public final class Localization {

    private final ObjectProperty<Language> language;
    private final Map<Language, ResourceBundle> bundles = new EnumMap<>(Language.class);

    public Localization(Language initial) {
        this.language = new SimpleObjectProperty<>(this, "language", initial);
        for (Language l : Language.values()) {
            bundles.put(l, load(l));
        }
    }

    /** The bundle of the current language, looked up on each call so bindings never see a stale one. */
    private ResourceBundle bundle() {
        Language l = language.get();
        return bundles.get(l == null ? Language.ENGLISH : l);
    }

    private static ResourceBundle load(Language language) {
        // no fallback to the default locale: English must not turn Chinese on a Chinese system
        return ResourceBundle.getBundle(UiResources.MESSAGES, language.locale(),
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public ObjectProperty<Language> languageProperty() {
        return language;
    }

    public Language language() {
        return language.get();
    }

    /** The text for {@code key} in the current language, formatted with {@code args} when given. */
    public String get(String key, Object... args) {
        String pattern = bundle().getString(key);
        if (args.length == 0) {
            return pattern;
        }
        Object[] rendered = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            rendered[i] = args[i] instanceof Text t ? get(t) : args[i];
        }
        return new MessageFormat(pattern, language().locale()).format(rendered);
    }

    public String get(Text text) {
        return get(text.key(), text.args().toArray());
    }

    /** A binding to the text for {@code key} that follows language switches. */
    public StringBinding text(String key, Object... args) {
        bundle().getString(key); // fail fast on a missing key, at bind time
        return Bindings.createStringBinding(() -> get(key, args), language);
    }

    /** A binding that renders whatever {@link Text} {@code text} holds (empty for null). */
    public StringBinding text(ObservableValue<Text> text) {
        return Bindings.createStringBinding(() -> text.getValue() == null ? "" : get(text.getValue()), language, text);
    }
}
