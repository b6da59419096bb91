package dev.ringserver.files;

import dev.ringserver.http.HeaderName;
import dev.ringserver.http.HttpMethod;
import dev.ringserver.http.RequestHead;
import dev.ringserver.server.HttpExchange;

/**
 * What a file response depends on, copied from the request head on the loop (whose views end when
 * the handler returns) so the file-system work can go on elsewhere. Immutable; any thread.
 *
 * @param exchange the exchange to answer, through its response (any thread) and loop
 * @param rawPath  the request path as received, without the query
 * @param query    the query, or null
 * @param head     whether this is a HEAD request (else GET)
 */
record FileRequest(
        HttpExchange exchange,
        String rawPath,
        String query,
        boolean head,
        String ifMatch,
        String ifNoneMatch,
        String ifModifiedSince,
        String ifUnmodifiedSince,
        String range,
        String ifRange,
        String acceptEncoding) {

    /** Copies what matters from the current request; loop thread, during {@code handle}. */
    static FileRequest of(HttpExchange exchange, String rawPath) {
        RequestHead head = exchange.request();
        String acceptEncoding = null;
        String ifNoneMatch = null;
        String ifModifiedSince = null;
        String range = null;
        // One pass over the fields for the ids the parser already knows; repeated list fields are
        // combined as RFC 9110 §5.3 says. The other three names are looked up only by byte compare.
        for (int i = 0; i < head.headerCount(); i++) {
            switch (head.headerId(i)) {
                case HeaderName.ACCEPT_ENCODING -> acceptEncoding = combine(acceptEncoding, head.headerValue(i));
                case HeaderName.IF_NONE_MATCH -> ifNoneMatch = combine(ifNoneMatch, head.headerValue(i));
                case HeaderName.IF_MODIFIED_SINCE -> ifModifiedSince = head.headerValue(i);
                // two Range fields make no valid ranges-specifier: a value that parses as none
                case HeaderName.RANGE -> range = range == null ? head.headerValue(i) : "invalid";
                default -> {
                }
            }
        }
        String ifMatch = head.header("if-match");
        if (ifMatch != null) {
            ifMatch = String.join(", ", head.headers("if-match"));
        }
        return new FileRequest(exchange, rawPath, head.query(), head.method() == HttpMethod.HEAD, ifMatch, ifNoneMatch,
                ifModifiedSince, head.header("if-unmodified-since"), range, head.header("if-range"), acceptEncoding);
    }

    private static String combine(String previous, String value) {
        return previous == null ? value : previous + ", " + value;
    }
}
