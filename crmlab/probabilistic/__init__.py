"""Probabilistic customer-base ("buy till you die") models, one module per model.

Chapter 6 fits three models of the customer-base literature and checks them
against the values their authors published:

* **BG/NBD** (beta-geometric / negative binomial; Fader, Hardie & Lee 2005a) for
  *non-contractual* settings, where nobody tells the firm they have left: while
  alive a customer buys at Poisson rate ``λ ~ Gamma(r, α)``; after each repeat
  purchase they drop out with probability ``p ~ Beta(a, b)``. Class
  :class:`BetaGeo`.
* **Gamma-Gamma** spend model (Fader, Hardie & Lee 2005b): transaction values of
  a customer are ``Gamma(p, ν)`` with ``ν ~ Gamma(q, γ)``. Class
  :class:`GammaGamma`.
* **sBG** (shifted beta-geometric; Fader & Hardie 2007) for *contractual*
  settings, where churn is observed: each customer renews each period with
  probability ``1 - θ``, ``θ ~ Beta(α, β)``. Class :class:`ShiftedBetaGeometric`.

The input of the first two models is :func:`calibration_summary`, one row per
customer in the papers' own notation: ``x`` (repeat transactions in the
calibration period), ``t_x`` (time of the last of them, since the first
purchase), ``T`` (time from the first purchase to the end of calibration),
``monetary`` (mean value of the repeat transactions) and, with a holdout
period, ``x_star``. The words "frequency" and "recency" keep chapter 3's
textbook meaning and are not used here. :func:`clv` combines a transaction
model and a spend model into a discounted CLV per customer.

Numerics: likelihoods are evaluated in log space (``gammaln``, ``betaln``,
log-sum-exp), parameters are optimised on the log scale with analytic
gradients (L-BFGS-B), the terms that depend only on ``x`` are computed once
per distinct ``x``, and the hypergeometric function of the conditional
expectation is evaluated after Euler's transformation, so that no power of
``(α + T) / (α + t_x)`` with a large exponent is formed: ``x`` in the
thousands neither overflows nor loses precision. Standard errors come from a
numerical Hessian of the log-likelihood at the optimum.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers"
the easy way: An alternative to the Pareto/NBD model. *Marketing Science*,
24(2), 275–284.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: Using
iso-value curves for customer base analysis. *Journal of Marketing Research*,
42(4), 415–430.

Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
*Journal of Interactive Marketing*, 21(1), 76–90.

>>> from crmlab import datasets
>>> s = calibration_summary(datasets.load_cdnow("sample"), calibration_end="1997-09-30")
>>> model = BetaGeo().fit(s)
>>> {k: round(v, 3) for k, v in model.params_.items()}
{'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
"""

from __future__ import annotations

from crmlab.probabilistic._common import ConvergenceError
from crmlab.probabilistic.bgbb import BetaGeoBetaBinom
from crmlab.probabilistic.bgnbd import BetaGeo
from crmlab.probabilistic.gammagamma import GammaGamma
from crmlab.probabilistic.mbgnbd import ModifiedBetaGeo
from crmlab.probabilistic.paretonbd import ParetoNBD
from crmlab.probabilistic.sbg import ShiftedBetaGeometric
from crmlab.probabilistic.summary import calibration_summary
from crmlab.probabilistic.value import clv

__all__ = [
    "BetaGeo",
    "BetaGeoBetaBinom",
    "ConvergenceError",
    "GammaGamma",
    "ModifiedBetaGeo",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "calibration_summary",
    "clv",

]
