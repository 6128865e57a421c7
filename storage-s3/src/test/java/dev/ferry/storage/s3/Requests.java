package dev.ferry.storage.s3;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Every HTTP request a client sends, retries included (beforeTransmission runs once per attempt),
 * as "METHOD query-or-range" lines, so tests can count what an operation costs.
 */
final class Requests implements ExecutionInterceptor {

    private record Sent(String path, String line) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        String kind = request.method().name();
        if (request.rawQueryParameters().containsKey("list-type")) {
            kind = "LIST";
        } else if (request.rawQueryParameters().containsKey("uploadId")) {
            kind += request.rawQueryParameters().containsKey("partNumber") ? " part" : " upload";
        } else if (request.rawQueryParameters().containsKey("uploads")) {
            kind += " uploads";
        }
        sent.add(new Sent(request.encodedPath(),
                kind + request.firstMatchingHeader("Range").map(range -> " " + range).orElse("")));
    }

    /** The requests sent since the last call, and forgets them. */
    List<String> take() {
        List<String> taken = sent.stream().map(Sent::line).toList();
        sent.clear();
        return taken;
    }

    /** The requests sent since the last call for the object {@code key} (path-style URLs). */
    List<String> take(String key) {
        List<String> taken = sent.stream().filter(s -> s.path().endsWith("/" + key)).map(Sent::line).toList();
        sent.clear();
        return taken;
    }
}
