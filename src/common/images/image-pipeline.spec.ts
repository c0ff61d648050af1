import sharp from 'sharp';
import { ValidationError } from '../errors/domain-errors';
import { processImage } from './image-pipeline';

const picture = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#4477aa' } });

async function refusal(bytes: Buffer): Promise<string | undefined> {
  try {
    await processImage(bytes);
    return undefined;
  } catch (error) {
    return error instanceof ValidationError ? error.fields.photo?.key : 'not a ValidationError';
  }
}

describe('processImage', () => {
  it('should drop EXIF, GPS and orientation and turn the picture upright when a phone JPEG is given', async () => {
    const bytes = await picture(60, 40).jpeg()
      .withExif({ IFD0: { Make: 'PhoneMaker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '45/1 27/1 0/1' } })
      .withMetadata({ orientation: 6 }).toBuffer();
    const sut = await processImage(bytes);
    const meta = await sharp(sut.full).metadata();
    expect({ exif: meta.exif, orientation: meta.orientation, width: meta.width, height: meta.height }).toEqual({ exif: undefined, orientation: undefined, width: 40, height: 60 });
    expect(sut.full.includes(Buffer.from('PhoneMaker'))).toBe(false);
  });

  it('should fit inside 2048 px with a 400 px thumbnail when the picture is larger', async () => {
    const sut = await processImage(await picture(2500, 5000).png().toBuffer());
    expect({ width: sut.width, height: sut.height }).toEqual({ width: 1024, height: 2048 });
    expect((await sharp(sut.thumb).metadata()).height).toBe(400);
    expect((await sharp(sut.full).metadata()).format).toBe('jpeg');
  });

  it('should refuse an SVG, a polyglot, text and nothing when they are given', async () => {
    const jpeg = await picture(8, 8).jpeg().toBuffer();
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'))).toBe('photos.typeRefused');
    expect(await refusal(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBe('photos.typeRefused');
    expect(await refusal(Buffer.concat([jpeg, Buffer.from('<html><script>alert(1)</script></html>')]))).toBe('photos.notImage');
    expect(await refusal(Buffer.concat([jpeg.subarray(0, 20), Buffer.from('<!DOCTYPE html>'), jpeg.subarray(20)]))).toBe('photos.notImage');
    expect(await refusal(Buffer.from('hello'))).toBe('photos.notImage');
    expect(await refusal(Buffer.concat([jpeg.subarray(0, 100)]))).toBe('photos.notImage');
    expect(await refusal(Buffer.alloc(0))).toBe('photos.missing');
  });

  it('should take an AVIF and name the type when a GIF or a TIFF is given', async () => {
    const sut = await processImage(await picture(32, 24).avif().toBuffer());
    expect({ width: sut.width, height: sut.height }).toEqual({ width: 32, height: 24 });
    expect(await refusal(await picture(8, 8).gif().toBuffer())).toBe('photos.typeRefused');
    expect(await refusal(await picture(8, 8).tiff().toBuffer())).toBe('photos.typeRefused');
  });
});
