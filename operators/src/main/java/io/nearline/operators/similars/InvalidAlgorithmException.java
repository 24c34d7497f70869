package io.nearline.operators.similars;

/** A similars algorithm document, or a set of them, that cannot be built; the message names the document and field. */
public class InvalidAlgorithmException extends Exception {

    public InvalidAlgorithmException(String message) {
        super(message);
    }
}
