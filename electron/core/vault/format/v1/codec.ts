/** Format version 1 behind the dispatcher's codec interface. */
import { NONCE_BYTES } from '../../../crypto/primitives.js';
import type { FormatCodec } from '../codec.js';
import { decodeBody, encodeBody } from './body.js';
import { FORMAT_V1, openBody, parseContainer, sealFileParts } from './file-layout.js';
import { decodeHeader } from './header.js';

export const formatV1: FormatCodec = {
  version: FORMAT_V1,

  check(file, what) {
    parseContainer(file, what);
  },

  checkPaced(file, what) {
    return Promise.resolve(formatV1.check(file, what));
  },

  read(file, what) {
    const container = parseContainer(file, what);
    return {
      version: FORMAT_V1,
      header: decodeHeader(container.headerJson),
      // v1 is only read, once, before its first save rewrites it as v2: it is decoded in one go.
      openBody(bodyKey) {
        const plaintext = openBody(container, bodyKey);
        if (!plaintext) return Promise.resolve(null);
        try {
          return Promise.resolve(decodeBody(plaintext));
        } finally {
          plaintext.fill(0);
        }
      },
    };
  },

  // v1 is only read, before its first save rewrites it as v2: its one checksum is taken in one go.
  readPaced(file, what) {
    return Promise.resolve(formatV1.read(file, what));
  },

  // Nothing writes v1 any more but tests of the upgrade (every save writes v2): sealed in one go.
  write(header, body, bodyKey, random) {
    const plaintext = encodeBody(body);
    try {
      return Promise.resolve({ parts: sealFileParts(header, plaintext, bodyKey, random.bytes(NONCE_BYTES)) });
    } finally {
      plaintext.fill(0);
    }
  },
};
