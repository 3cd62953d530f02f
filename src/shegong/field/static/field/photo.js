/* 社工外勤: a photo is shrunk on the phone before it is stored or sent: at most 1600 px on its long
   side, JPEG at quality 0.7 (lower if it is still over the server's 1 MB), as base64. */
(function (root) {
  "use strict";

  const MAX_SIDE = 1600;
  const MAX_BYTES = 1000000;

  // createImageBitmap reads the file without a blob: URL (the CSP allows images from 'self' and
  // data: only).
  function load(file) {
    return createImageBitmap(file).catch(() => {
      throw new Error("not-an-image");
    });
  }

  async function compress(file) {
    const image = await load(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
    let quality = 0.7;
    let data = canvas.toDataURL("image/jpeg", quality);
    while (data.length * 0.75 > MAX_BYTES && quality > 0.3) {
      quality -= 0.1;
      data = canvas.toDataURL("image/jpeg", quality);
    }
    return {
      base64: data.slice(data.indexOf(",") + 1),
      width: canvas.width,
      height: canvas.height,
      bytes: Math.round((data.length - data.indexOf(",") - 1) * 0.75),
    };
  }

  root.FieldPhoto = { compress, MAX_SIDE };
})(self);
