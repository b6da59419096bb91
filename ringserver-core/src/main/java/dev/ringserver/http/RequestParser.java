package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Validates a complete request head (found by {@link HeadScanner}) against RFC 9112 and RFC 9110 and
 * records it as offsets in a {@link RequestHead}, creating no objects.
 *
 * <p>Strict by default:
 * <ul>
 *   <li>request line: one SP between its parts, the method a token, the target in origin form
 *       ({@code /path?query}), absolute form, authority form (CONNECT only) or asterisk form (OPTIONS
 *       only), with only the bytes RFC 3986 allows and {@code %} followed by two hex digits;</li>
 *   <li>version: {@code HTTP/1.0}, {@code HTTP/1.1}, {@code HTTP/1.x} (treated as 1.1); another
 *       major version gets 505;</li>
 *   <li>fields: names are tokens directly followed by {@code :}; values hold no CR, LF, NUL or other
 *       control; obs-fold is rejected;</li>
 *   <li>exactly one valid Host on HTTP/1.1, at most one on 1.0;</li>
 *   <li>framing: Content-Length is plain decimal without overflow and never repeated or conflicting;
 *       Transfer-Encoding must end with chunked, which appears once; other codings get 501; both
 *       fields together, or Transfer-Encoding on HTTP/1.0, are rejected; a Content-Length above the
 *       body limit gets 413;</li>
 *   <li>Expect: only {@code 100-continue} (ignored on HTTP/1.0), others get 417.</li>
 * </ul>
 * The lenient options of {@link HttpConfig} relax the documented points.
 *
 * <p>Keeps its scratch state in fields, so one instance serves one connection (or one loop) at a
 * time; confined to its loop thread.
 */
public final class RequestParser {

    private final HttpConfig config;
    private MemorySegment data;
    private long start;
    private int end;
    private int position;
    private int hostCount;
    private boolean contentLengthSeen;
    private boolean transferEncodingSeen;
    private boolean chunkedSeen;
    private boolean unknownExpectation;
    private boolean chunkedLast;
    private boolean otherCoding;
    private boolean connectionClose;
    private boolean connectionKeepAlive;

    public RequestParser(HttpConfig config) {
        this.config = config;
    }

    /**
     * Parses the complete head at {@code bytes[offset, offset + length)} whose first {@code leading}
     * bytes are empty lines.
     *
     * @return 0 when the head is valid, else the HTTP status to answer with
     */
    public int parse(MemorySegment bytes, long offset, int length, int leading, RequestHead head) {
        head.reset(bytes, offset);
        head.headLength = length;
        data = bytes;
        start = offset;
        end = length;
        position = leading;
        hostCount = 0;
        contentLengthSeen = false;
        transferEncodingSeen = false;
        chunkedSeen = false;
        unknownExpectation = false;
        chunkedLast = false;
        otherCoding = false;
        connectionClose = false;
        connectionKeepAlive = false;
        try {
            int status = requestLine(head);
            return status != 0 ? status : fields(head);
        } finally {
            data = null;
        }
    }

    private int requestLine(RequestHead head) {
        int method = position;
        while (position < end && HttpChars.isTchar(at(position))) {
            position++;
        }
        if (position == method || position >= end || at(position) != ' ') {
            return HttpStatus.BAD_REQUEST;
        }
        head.methodStart = method;
        head.methodLength = position - method;
        head.method = HttpMethod.identify(data, start + method, head.methodLength);
        int target = ++position;
        while (position < end && at(position) != ' ' && at(position) != '\r' && at(position) != '\n') {
            position++;
        }
        if (position == target || position >= end || at(position) != ' ') {
            return HttpStatus.BAD_REQUEST;
        }
        head.targetStart = target;
        head.targetLength = position - target;
        int version = ++position;
        if (end - version < 9 || at(version) != 'H' || at(version + 1) != 'T' || at(version + 2) != 'T'
                || at(version + 3) != 'P' || at(version + 4) != '/' || !HttpChars.isDigit(at(version + 5))
                || at(version + 6) != '.' || !HttpChars.isDigit(at(version + 7))) {
            return HttpStatus.BAD_REQUEST;
        }
        position = version + 8;
        if (!lineEnd()) {
            return HttpStatus.BAD_REQUEST;
        }
        if (at(version + 5) != '1') {
            return HttpStatus.HTTP_VERSION_NOT_SUPPORTED;
        }
        head.minorVersion = at(version + 7) == '0' ? 0 : 1;
        return RequestTargets.validate(data, start, head, config.allowUnsafeTargetBytes()) ? 0 : HttpStatus.BAD_REQUEST;
    }

    private int fields(RequestHead head) {
        while (!lineEnd()) {
            int name = position;
            while (position < end && HttpChars.isTchar(at(position))) {
                position++;
            }
            // An empty name covers obs-fold (a line starting with SP or HTAB); anything but ':' right
            // after the name covers whitespace before the colon.
            if (position == name || position >= end || at(position) != ':') {
                return HttpStatus.BAD_REQUEST;
            }
            int nameLength = position - name;
            position++;
            while (position < end && (at(position) == ' ' || at(position) == '\t')) {
                position++;
            }
            int value = position;
            int valueEnd = value;
            while (position < end && at(position) != '\r' && at(position) != '\n') {
                byte b = at(position);
                if (!HttpChars.isFieldValueByte(b)) {
                    return HttpStatus.BAD_REQUEST;
                }
                position++;
                if (b != ' ' && b != '\t') {
                    valueEnd = position;
                }
            }
            if (!lineEnd()) {
                return HttpStatus.BAD_REQUEST;
            }
            int index = head.headerCount;
            if (index == head.nameStart.length) {
                return HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            }
            int id = HeaderName.identify(data, start + name, nameLength);
            head.nameStart[index] = name;
            head.nameLength[index] = nameLength;
            head.valueStart[index] = value;
            head.valueLength[index] = valueEnd - value;
            head.nameId[index] = id;
            head.headerCount++;
            int status = field(head, index, id, value, valueEnd - value);
            if (status != 0) {
                return status;
            }
        }
        return finish(head);
    }

    /** What a field means for framing and connection handling; returns 0 or an error status. */
    private int field(RequestHead head, int index, int id, int value, int length) {
        switch (id) {
            case HeaderName.HOST -> {
                if (hostCount++ == 0) {
                    head.hostIndex = index;
                }
            }
            case HeaderName.CONTENT_LENGTH -> {
                long parsed = FieldValues.contentLength(data, start + value, length, config.allowDuplicateContentLength());
                if (parsed < 0) {
                    return HttpStatus.BAD_REQUEST;
                }
                if (contentLengthSeen && (!config.allowDuplicateContentLength() || parsed != head.contentLength)) {
                    return HttpStatus.BAD_REQUEST;
                }
                contentLengthSeen = true;
                head.contentLength = parsed;
            }
            case HeaderName.TRANSFER_ENCODING -> {
                transferEncodingSeen = true;
                int codings = FieldValues.transferCodings(data, start + value, length);
                if (codings < 0) {
                    return HttpStatus.BAD_REQUEST;
                }
                if ((codings & FieldValues.CHUNKED) != 0) {
                    if (chunkedSeen || (codings & FieldValues.CHUNKED_TWICE) != 0) {
                        return HttpStatus.BAD_REQUEST;
                    }
                    chunkedSeen = true;
                }
                if ((codings & FieldValues.OTHER) != 0) {
                    otherCoding = true;
                }
                chunkedLast = (codings & FieldValues.CHUNKED_LAST) != 0
                        || (chunkedLast && (codings & (FieldValues.CHUNKED | FieldValues.OTHER)) == 0);
            }
            case HeaderName.CONNECTION -> {
                int options = FieldValues.connectionOptions(data, start + value, length);
                connectionClose |= (options & FieldValues.CLOSE) != 0;
                connectionKeepAlive |= (options & FieldValues.KEEP_ALIVE) != 0;
            }
            case HeaderName.EXPECT -> {
                if (head.minorVersion == 1 && length > 0) {
                    if (FieldValues.isContinue(data, start + value, length)) {
                        head.expectContinue = true;
                    } else {
                        unknownExpectation = true; // 417 only once the whole head is known to be valid
                    }
                }
            }
            default -> {
                // no meaning for the engine
            }
        }
        return 0;
    }

    private int finish(RequestHead head) {
        if (hostCount > 1 || (hostCount == 0 && head.minorVersion == 1)) {
            return HttpStatus.BAD_REQUEST;
        }
        if (hostCount == 1 && !RequestTargets.validHost(data, start + head.valueStart[head.hostIndex],
                head.valueLength[head.hostIndex])) {
            return HttpStatus.BAD_REQUEST;
        }
        if (transferEncodingSeen) {
            // RFC 9112 6.1 and 6.3: on HTTP/1.0, next to Content-Length, or not ending in chunked, the
            // message length cannot be trusted.
            if (head.minorVersion == 0 || contentLengthSeen || !chunkedLast) {
                return HttpStatus.BAD_REQUEST;
            }
            if (otherCoding) {
                return HttpStatus.NOT_IMPLEMENTED;
            }
            head.chunked = true;
        }
        if (head.contentLength > config.maxBodyBytes()) {
            return HttpStatus.CONTENT_TOO_LARGE;
        }
        if (unknownExpectation) {
            return HttpStatus.EXPECTATION_FAILED;
        }
        head.keepAlive = head.minorVersion == 1 ? !connectionClose : connectionKeepAlive && !connectionClose;
        return 0;
    }

    /** Consumes CR LF (or LF alone when allowed) if it comes next. */
    private boolean lineEnd() {
        if (end - position >= 2 && at(position) == '\r' && at(position + 1) == '\n') {
            position += 2;
            return true;
        }
        if (config.allowBareLf() && position < end && at(position) == '\n') {
            position++;
            return true;
        }
        return false;
    }

    private byte at(int offset) {
        return data.get(ValueLayout.JAVA_BYTE, start + offset);
    }
}
