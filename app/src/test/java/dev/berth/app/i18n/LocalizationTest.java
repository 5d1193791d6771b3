package dev.berth.app.i18n;

import dev.berth.engine.errors.EngineException;
import javafx.beans.binding.StringBinding;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.MissingResourceException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalizationTest {

    @Test
    void bindingsFollowTheLanguage() {
        Localization i18n = new Localization(Language.ENGLISH);
        StringBinding nav = i18n.text("nav.images");
        StringBinding count = i18n.text("events.count", 3, 7);
        assertThat(nav.get()).isEqualTo("Images");
        assertThat(count.get()).isEqualTo("3 of 7 events");
        i18n.languageProperty().set(Language.SIMPLIFIED_CHINESE);
        assertThat(nav.get()).isEqualTo("镜像");
        assertThat(count.get()).isEqualTo("显示 3 条，共 7 条事件");
    }

    @Test
    void englishStaysEnglishOnAChineseSystem() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            assertThat(new Localization(Language.ENGLISH).get("nav.settings")).isEqualTo("Settings");
            assertThat(Language.fromSystem()).isEqualTo(Language.SIMPLIFIED_CHINESE);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void aMissingKeyFailsAtOnce() {
        Localization i18n = new Localization(Language.ENGLISH);
        assertThatThrownBy(() -> i18n.text("nav.nonexistent")).isInstanceOf(MissingResourceException.class);
    }

    @Test
    void errorsBecomeOnePlainSentencePerCategory() {
        Localization i18n = new Localization(Language.ENGLISH);
        assertThat(i18n.get(ErrorText.of(new EngineException.NotFound("no such image: busybox"))))
                .isEqualTo("Not found: no such image: busybox");
        assertThat(i18n.get(ErrorText.of(new EngineException.Unavailable("cannot reach the engine"))))
                .isEqualTo("cannot reach the engine");
        i18n.languageProperty().set(Language.SIMPLIFIED_CHINESE);
        assertThat(i18n.get(ErrorText.of(new IllegalStateException("boom")))).isEqualTo("意外错误：boom");
    }
}
