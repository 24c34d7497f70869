package io.nearline.operators.similars;

/**
 * A similars algorithm document, or a set of them, that cannot be built; the message names the document and field.
 * It is one line whatever the document held: line breaks in quoted names show as {@code \n}, other control
 * characters as {@code ?}, so a log line or the CLI's one-line error stays one line.
 */
public class InvalidAlgorithmException extends Exception {

    public InvalidAlgorithmException(String message) {
        super(oneLine(message));
    }

    static String oneLine(String message) {
        return message.replaceAll("\\R", "\\\\n").replaceAll("\\p{Cntrl}", "?");
    }
}
