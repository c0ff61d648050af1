import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Express gives every request and response a prototype of its own (`Object.setPrototypeOf`, in
 * `app.handle`). After that, Node 20's V8 adds a property to the object about 30 times slower than
 * before (measured here: 2.8-4.3 µs a property against 0.1-0.15) and reads its properties about 5
 * times slower; a page adds some fifteen (Express's `params`, `route`, `originalUrl`…, the body
 * parser's `body`, our `session`, `user`, `locale`…), which came to a twentieth of a ward's Today.
 * So every property a request or response is given later is first declared here, on the plain
 * object, before Express sees it: later they are only assigned. (Node 24's V8 no longer pays it:
 * 103 ns a property added after, 87 declared first; the declaration costs it nothing either.)
 *
 * The list is what the app's requests end with (`test/request-fields.e2e-spec.ts` walks pages, forms,
 * the API, static files and refusals, and fails on a property missing here). Only plain data
 * properties: a name Express answers with a getter (`query`, `path`, `ip`, `secure`…) is never
 * declared, or it would hide the getter (the same test checks that too).
 */
export function declareRequestFields(request: IncomingMessage, response: ServerResponse): void {
  const req = request as unknown as Record<string, unknown>;
  // Inherited defaults that become the object's own when first set: kept as they are.
  req._eventsCount = req._eventsCount ?? 0;
  // Express and its router.
  req.res = undefined;
  req.next = undefined;
  req.baseUrl = undefined;
  req.originalUrl = undefined;
  req.params = undefined;
  req.route = undefined;
  req._parsedUrl = undefined;
  req._parsedOriginalUrl = undefined;
  // body-parser, multer and the upload's deferred CSRF check (photos).
  req.body = undefined;
  req.file = undefined;
  req.csrfDeferred = undefined;
  // Ours (src/types/express.d.ts).
  req.session = undefined;
  req.sessionControl = undefined;
  req.user = undefined;
  req.locale = undefined;
  req.wardDevice = undefined;
  req.wardDeviceRefused = undefined;
  req.sessionEnded = undefined;
  const res = response as unknown as Record<string, unknown>;
  res.statusCode = res.statusCode ?? 200;
  res.statusMessage = res.statusMessage ?? undefined;
  res.locals = undefined;
  res.__onFinished = undefined;
}

/** Declares the fields on every request of this server, before any other listener (Express) runs. */
export function declareRequestFieldsOn(server: Server): void {
  server.prependListener('request', declareRequestFields);
}
