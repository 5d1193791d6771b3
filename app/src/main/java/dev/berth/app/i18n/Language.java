package dev.berth.app.i18n;

import java.util.Locale;

/** The languages Berth speaks. */
public enum Language {
    ENGLISH("en", Locale.ENGLISH, "language.en"),
    SIMPLIFIED_CHINESE("zh-CN", Locale.SIMPLIFIED_CHINESE, "language.zh_CN");

    private final String tag;
    private final Locale locale;
    private final String nameKey;

    Language(String tag, Locale locale, String nameKey) {
        this.tag = tag;
        this.locale = locale;
        this.nameKey = nameKey;
    }

    /** The BCP 47 tag stored in the settings file. */
    public String tag() {
        return tag;
    }

    public Locale locale() {
        return locale;
    }

    /** The bundle key of the language's own name ("English", "简体中文"). */
    public String nameKey() {
        return nameKey;
    }

    /** The language for a stored tag; English for an unknown one. */
    public static Language fromTag(String tag) {
        for (Language l : values()) {
            if (l.tag.equalsIgnoreCase(tag)) {
                return l;
            }
        }
        return ENGLISH;
    }

    /** Chinese when the system's locale is Chinese, else English. */
    public static Language fromSystem() {
        return "zh".equals(Locale.getDefault().getLanguage()) ? SIMPLIFIED_CHINESE : ENGLISH;
    }
}
