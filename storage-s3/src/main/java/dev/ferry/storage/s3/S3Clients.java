package dev.ferry.storage.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the one sync S3 client a storage uses, from its settings. */
final class S3Clients {

    private S3Clients() {
    }

    /**
     * The sync client over apache5: measured on virtual threads with no pinning in steady state
     * (notes/s3-streaming.md section 5). The pool must hold every concurrent call (sessions
     * transferring x (1 + parts in flight) + listings); past that a call waits up to the acquisition
     * timeout and then fails as Transient (451), instead of hanging.
     */
    static S3Client build(S3Config config) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(config.maxConnections())
                        .connectionAcquisitionTimeout(config.acquireTimeout())
                        .connectionTimeout(Duration.ofSeconds(10))
                        // a stalled response counts as broken after this, and a download resumes
                        .socketTimeout(config.retries().socketTimeout()))
                .region(region(config))
                .credentialsProvider(credentials(config.credentials()))
                .forcePathStyle(config.pathStyle())
                // picky S3-compatibles reject the CRC32 trailers the SDK adds by default since 2.30
                .requestChecksumCalculation(config.checksumWhenRequired()
                        ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(config.checksumWhenRequired()
                        ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED)
                .serviceConfiguration(S3Configuration.builder()
                        .chunkedEncodingEnabled(config.chunkedEncoding())
                        .build());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static Region region(S3Config config) {
        if (!config.region().isBlank()) {
            return Region.of(config.region());
        }
        if (config.endpoint().isPresent()) {
            // S3-compatible stores mostly ignore the region, and the chain's last step asks the EC2
            // instance metadata service, which costs a timeout (about a second) off EC2
            return Region.US_EAST_1;
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            // S3-compatible stores mostly ignore the region but SigV4 needs one
            return Region.US_EAST_1;
        }
    }

    private static AwsCredentialsProvider credentials(S3Config.Credentials credentials) {
        return switch (credentials) {
            case S3Config.Credentials.DefaultChain ignored -> DefaultCredentialsProvider.builder().build();
            case S3Config.Credentials.Profile(String name) -> ProfileCredentialsProvider.builder().profileName(name).build();
            case S3Config.Credentials.Static(String id, String secret) ->
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
        };
    }
}
