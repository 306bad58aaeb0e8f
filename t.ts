import { runHttpsCheck } from './probe/https-check.ts';
import { HttpsCheck } from './config/index.ts';
for (const url of ['https://www.os2faktor.dk/', 'https://127.0.0.1:1/', 'https://10.255.255.1/']) {
  const c = HttpsCheck.parse({ kind: 'https', url, timeoutMs: 1500 });
  console.log(await runHttpsCheck(c, { componentId: 'a', checkId: 'https', regionId: 'local' }));
}
