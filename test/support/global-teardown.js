module.exports = async () => {
  await globalThis.__partnerlensRedis?.stop();
};
