package dev.ferry.storage.s3;

import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * What every new object gets: storage class, server-side encryption and, unless the store wants
 * checksums only where required, a CRC32 checksum declared on CreateMultipartUpload and sent with
 * each part. S3 expects the parts' checksums at Complete when the upload declared an algorithm
 * (CompleteMultipartUpload API reference); the notes checked this form against S3Proxy.
 */
record WriteOptions(String storageClass, S3Config.Encryption encryption, boolean partChecksums) {

    static WriteOptions of(S3Config config) {
        return new WriteOptions(config.storageClass(), config.encryption(), !config.checksumWhenRequired());
    }

    void apply(PutObjectRequest.Builder request) {
        if (!storageClass.isEmpty()) {
            request.storageClass(storageClass);
        }
        if (!encryption.algorithm().isEmpty()) {
            request.serverSideEncryption(encryption.algorithm());
        }
        if (!encryption.kmsKeyId().isEmpty()) {
            request.ssekmsKeyId(encryption.kmsKeyId());
        }
    }

    void apply(CreateMultipartUploadRequest.Builder request) {
        if (!storageClass.isEmpty()) {
            request.storageClass(storageClass);
        }
        if (!encryption.algorithm().isEmpty()) {
            request.serverSideEncryption(encryption.algorithm());
        }
        if (!encryption.kmsKeyId().isEmpty()) {
            request.ssekmsKeyId(encryption.kmsKeyId());
        }
        if (partChecksums) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
    }

    void apply(UploadPartRequest.Builder request) {
        if (partChecksums) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
    }
}
