package dev.berth.ui;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class MessageBundlesTest {

    private static Properties load(String file) throws IOException {
        try (InputStream in = UiResources.require("i18n/" + file).openStream()) {
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p;
        }
    }

    @Test
    void englishAndChineseBundlesHaveExactlyTheSameKeys() throws IOException {
        Set<String> en = new TreeSet<>(load("messages.properties").stringPropertyNames());
        Set<String> zh = new TreeSet<>(load("messages_zh_CN.properties").stringPropertyNames());
        assertThat(en).isNotEmpty();
        assertThat(zh).as("keys only in messages_zh_CN.properties").isSubsetOf(en);
        assertThat(en).as("keys missing from messages_zh_CN.properties").isSubsetOf(zh);
    }

    @Test
    void noValueIsEmpty() throws IOException {
        for (String file : new String[] {"messages.properties", "messages_zh_CN.properties"}) {
            Properties p = load(file);
            for (String key : p.stringPropertyNames()) {
                assertThat(p.getProperty(key).strip()).as(file + " " + key).isNotEmpty();
            }
        }
    }

    @Test
    void chineseBundleIsReallyChinese() throws IOException {
        Properties zh = load("messages_zh_CN.properties");
        assertThat(zh.getProperty("nav.containers")).isEqualTo("容器");
        assertThat(zh.getProperty("settings.theme.dark")).isEqualTo("深色");
    }

    @Test
    void everyPatternWithArgumentsIsAValidMessageFormatThatUsesItsArgument() throws IOException {
        for (String file : new String[] {"messages.properties", "messages_zh_CN.properties"}) {
            Properties p = load(file);
            for (String key : p.stringPropertyNames()) {
                String value = p.getProperty(key);
                if (value.contains("{0}")) {
                    String formatted = new MessageFormat(value).format(new Object[] {"ARG0", "ARG1", "ARG2"});
                    assertThat(formatted).as(file + " " + key).contains("ARG0").doesNotContain("{0}");
                }
            }
        }
    }

    @Test
    void argumentCountsMatchBetweenLanguages() throws IOException {
        Properties en = load("messages.properties");
        Properties zh = load("messages_zh_CN.properties");
        for (String key : en.stringPropertyNames()) {
            for (int i = 0; i < 4; i++) {
                String arg = "{" + i + "}";
                assertThat(zh.getProperty(key, "").contains(arg)).as(key + " uses " + arg + " in both languages")
                        .isEqualTo(en.getProperty(key).contains(arg));
            }
        }
    }
}
