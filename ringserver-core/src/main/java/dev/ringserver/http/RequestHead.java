package dev.ringserver.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed request head: offsets into the bytes it was parsed from, plus what the parser derived
 * (known method and header ids, framing, keep-alive). Nothing is copied while parsing; strings are
 * made only when an accessor is called.
 *
 * <p>An instance is reused by its connection for every request and its views are valid only until
 * the next request is parsed (for a handler: for the duration of {@code handle}). {@link #copy()}
 * gives an independent snapshot for code that keeps the head longer. Confined to the connection's
 * loop thread; a copy may be shared.
 */
public final class RequestHead {

    /** {@code /path?query}. */
    public static final int ORIGIN_FORM = 1;
    /** {@code http://host/path}, as sent to proxies. */
    public static final int ABSOLUTE_FORM = 2;
    /** {@code host:port}, for CONNECT. */
    public static final int AUTHORITY_FORM = 3;
    /** {@code *}, for server-wide OPTIONS. */
    public static final int ASTERISK_FORM = 4;

    MemorySegment data = MemorySegment.NULL;
    long base;
    int headLength;
    int method;
    int methodStart;
    int methodLength;
    int targetStart;
    int targetLength;
    int targetForm;
    int pathStart;
    int queryStart = -1;
    int minorVersion;
    int headerCount;
    int[] nameStart;
    int[] nameLength;
    int[] valueStart;
    int[] valueLength;
    int[] nameId;
    int hostIndex = -1;
    long contentLength = -1;
    boolean chunked;
    boolean keepAlive;
    boolean expectContinue;

    /** An empty head able to hold {@code maxHeaders} fields. */
    public RequestHead(int maxHeaders) {
        nameStart = new int[maxHeaders];
        nameLength = new int[maxHeaders];
        valueStart = new int[maxHeaders];
        valueLength = new int[maxHeaders];
        nameId = new int[maxHeaders];
    }

    void reset(MemorySegment bytes, long offset) {
        data = bytes;
        base = offset;
        headLength = 0;
        method = HttpMethod.OTHER;
        targetForm = 0;
        pathStart = 0;
        queryStart = -1;
        headerCount = 0;
        hostIndex = -1;
        contentLength = -1;
        chunked = false;
        keepAlive = false;
        expectContinue = false;
    }

    /** Bytes the head occupied, from any empty lines before it to its final blank line. */
    public int headLength() {
        return headLength;
    }

    /** {@link HttpMethod} id; {@link HttpMethod#OTHER} for methods without one. */
    public int method() {
        return method;
    }

    public String methodName() {
        String known = HttpMethod.name(method);
        return known != null ? known : text(methodStart, methodLength);
    }

    /** The request target as received. */
    public String target() {
        return text(targetStart, targetLength);
    }

    /** One of {@link #ORIGIN_FORM}, {@link #ABSOLUTE_FORM}, {@link #AUTHORITY_FORM}, {@link #ASTERISK_FORM}. */
    public int targetForm() {
        return targetForm;
    }

    /**
     * The path (without the query): of an origin-form target as sent, of an absolute-form target the
     * part after the authority ({@code /} when empty); the whole target in the other forms.
     */
    public String path() {
        int pathEnd = queryStart < 0 ? targetStart + targetLength : queryStart - 1;
        return pathEnd == pathStart && targetForm == ABSOLUTE_FORM ? "/" : text(pathStart, pathEnd - pathStart);
    }

    /** The query (after the first {@code ?}), or null. */
    public String query() {
        return queryStart < 0 ? null : text(queryStart, targetStart + targetLength - queryStart);
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and 1.x above it, which is treated as 1.1). */
    public int minorVersion() {
        return minorVersion;
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}. */
    public String version() {
        return minorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    public int headerCount() {
        return headerCount;
    }

    /** The field name at {@code index} as received. */
    public String headerName(int index) {
        checkIndex(index);
        return text(nameStart[index], nameLength[index]);
    }

    /** The field value at {@code index}, without surrounding whitespace. */
    public String headerValue(int index) {
        checkIndex(index);
        return text(valueStart[index], valueLength[index]);
    }

    /** The {@link HeaderName} id of the field at {@code index}. */
    public int headerId(int index) {
        checkIndex(index);
        return nameId[index];
    }

    /** The first value of {@code name} (any case), or null. */
    public String header(String name) {
        int index = indexOf(name, 0);
        return index < 0 ? null : headerValue(index);
    }

    /** Every value of {@code name} (any case), in order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (int index = indexOf(name, 0); index >= 0; index = indexOf(name, index + 1)) {
            values.add(headerValue(index));
        }
        return values;
    }

    /** The Host field value, or null when there is none (possible on HTTP/1.0). */
    public String host() {
        return hostIndex < 0 ? null : headerValue(hostIndex);
    }

    /** The Content-Length, or -1 when there is none. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the body uses chunked transfer coding. */
    public boolean isChunked() {
        return chunked;
    }

    /** Whether a body follows the head (a Content-Length above 0, or chunked). */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** Whether the client asks for the connection to stay open after this exchange. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the client sent {@code Expect: 100-continue}. */
    public boolean expectsContinue() {
        return expectContinue;
    }

    /** An independent copy, valid after the connection has moved on; any thread may read it. */
    public RequestHead copy() {
        byte[] bytes = new byte[headLength];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base, bytes, 0, headLength);
        RequestHead copy = new RequestHead(headerCount);
        copy.data = MemorySegment.ofArray(bytes);
        copy.base = 0;
        copy.headLength = headLength;
        copy.method = method;
        copy.methodStart = methodStart;
        copy.methodLength = methodLength;
        copy.targetStart = targetStart;
        copy.targetLength = targetLength;
        copy.targetForm = targetForm;
        copy.pathStart = pathStart;
        copy.queryStart = queryStart;
        copy.minorVersion = minorVersion;
        copy.headerCount = headerCount;
        System.arraycopy(nameStart, 0, copy.nameStart, 0, headerCount);
        System.arraycopy(nameLength, 0, copy.nameLength, 0, headerCount);
        System.arraycopy(valueStart, 0, copy.valueStart, 0, headerCount);
        System.arraycopy(valueLength, 0, copy.valueLength, 0, headerCount);
        System.arraycopy(nameId, 0, copy.nameId, 0, headerCount);
        copy.hostIndex = hostIndex;
        copy.contentLength = contentLength;
        copy.chunked = chunked;
        copy.keepAlive = keepAlive;
        copy.expectContinue = expectContinue;
        return copy;
    }

    /** {@code METHOD target version}, for logs. */
    @Override
    public String toString() {
        return methodName() + " " + target() + " " + version();
    }

    private int indexOf(String name, int from) {
        int id = HeaderName.identify(name);
        for (int i = from; i < headerCount; i++) {
            if (id != HeaderName.OTHER ? nameId[i] == id : nameLength[i] == name.length() && nameMatches(i, name)) {
                return i;
            }
        }
        return -1;
    }

    private boolean nameMatches(int index, String name) {
        for (int i = 0; i < name.length(); i++) {
            byte b = data.get(ValueLayout.JAVA_BYTE, base + nameStart[index] + i);
            if (HttpChars.lower(b) != HttpChars.lower((byte) name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private String text(int offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, base + offset, bytes, 0, length);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= headerCount) {
            throw new IndexOutOfBoundsException("header " + index + " of " + headerCount);
        }
    }
}
