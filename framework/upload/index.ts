/**
 * Uploads: what a view allows (`allowUpload`), the files announced and streamed in chunks, and
 * the temporary files they land in until the app consumes them. The socket side (binary frames,
 * acks) is socket/upload-router.ts; the browser side is client/chunks/upload.ts.
 */
export {
  checkFile,
  decodeFiles,
  DEFAULT_CHUNK_SIZE,
  isAccepted,
  resolveUploadOptions,
} from './options.ts'
export type {
  ExternalTarget,
  FileMeta,
  UploadConfig,
  UploadErrorCode,
  UploadOptions,
} from './options.ts'
export { TempFile, uploadDirectory } from './temp-file.ts'
export { UploadTransfer } from './transfer.ts'
export type { TransferStatus, UploadEntry } from './transfer.ts'
export { UploadSet } from './upload-set.ts'
export type { ConsumedFile, Uploads, UploadState } from './upload-set.ts'
