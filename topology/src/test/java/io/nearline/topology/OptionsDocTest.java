package io.nearline.topology;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OptionsDocTest {

    @Test
    void configurationPageListsEveryOptionAsTheCodeDefinesIt() throws Exception {
        Path page = Path.of(System.getProperty("nearline.home", ".."), "docs", "configuration.md");

        assertThat(Files.readString(page))
                .as("docs/configuration.md is out of date; regenerate it as its header says")
                .isEqualTo(OptionsDoc.markdown());
    }
}
