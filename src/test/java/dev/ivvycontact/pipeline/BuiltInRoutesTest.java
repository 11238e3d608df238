package dev.ivvycontact.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The built-in routes are named one by one (a classpath wildcard scans the whole jar at start): none is left out. */
class BuiltInRoutesTest {

    private static final Pattern DEFAULT_ROUTES =
            Pattern.compile("(?m)^camel\\.main\\.routes-include-pattern = \\{\\{env:PIPELINE_ROUTES:(.*)}}$");

    @Test
    void theDefaultRoutesPatternNamesEveryFileOfTheRoutesFolderAndNoWildcard() throws IOException {
        String properties;
        try (InputStream in = getClass().getResourceAsStream("/config/application.properties")) {
            properties = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = DEFAULT_ROUTES.matcher(properties);
        assertThat(m.find()).as("the routes pattern's default in config/application.properties").isTrue();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            assertThat(Arrays.asList(m.group(1).split(",")))
                    .containsExactlyInAnyOrderElementsOf(files.map(f -> "classpath:routes/" + f.getFileName()).toList());
        }
    }
}
