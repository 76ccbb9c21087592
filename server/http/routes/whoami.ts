import { Router } from 'express';

import { allow, READERS } from '../access';
import { callerOf } from '../auth/authenticate';

/** Who the credentials say the caller is; also the empty authenticated endpoint the bench compares against. */
export function whoamiRoutes(): Router {
  const router = Router();
  router.get('/whoami', allow(...READERS, 'partner'), (req, res) => {
    const caller = callerOf(req);
    res.json({
      tenantId: caller.tenantId,
      via: caller.via,
      role: caller.role,
      ...(caller.partnerId ? { partnerId: caller.partnerId } : {}),
    });
  });
  return router;
}
