"""Probabilistic customer-base ("buy till you die") models, one module per model.

Chapter 6 fits the models of the customer-base literature and checks each one
against the values its authors published on the data they published with:

* **BG/NBD** (:class:`BetaGeo`; Fader, Hardie & Lee 2005a) and **Pareto/NBD**
  (:class:`ParetoNBD`; Schmittlein, Morrison & Colombo 1987) for *non-contractual*
  settings in continuous time, where nobody tells the firm they have left: while
  alive a customer buys at Poisson rate ``λ ~ Gamma(r, α)``; BG/NBD customers drop
  out right after a repeat purchase with probability ``p ~ Beta(a, b)``, Pareto/NBD
  customers at any moment at rate ``μ ~ Gamma(s, β)``. **MBG/NBD**
  (:class:`ModifiedBetaGeo`; Batislam et al. 2007) also lets them drop out right
  after the first purchase.
* **BG/BB** (:class:`BetaGeoBetaBinom`; Fader, Hardie & Shang 2010) for discrete
  transaction opportunities (a yes/no per period, e.g. a yearly donation).
* **Gamma-Gamma** spend model (:class:`GammaGamma`; Fader, Hardie & Lee 2005b).
* **sBG** (:class:`ShiftedBetaGeometric`; Fader & Hardie 2007) for *contractual*
  settings, where churn is observed, with :func:`constant_retention` as the
  fitted baseline without heterogeneity.

The input of the continuous-time models is :func:`calibration_summary`, one row per
customer in the papers' notation: ``x`` (repeat transactions in the calibration
period), ``t_x`` (time of the last of them, since the first purchase), ``T`` (time
from the first purchase to the end of calibration), ``monetary`` (mean value of the
repeat transactions) and, with a holdout period, ``x_star``. The words "frequency"
and "recency" keep chapter 3's textbook meaning and are not used here. :func:`clv`
combines a transaction model and a spend model into a discounted CLV per customer.

Every model offers ``fit`` (maximum likelihood, standard errors from the Hessian),
``expected_transactions`` (a new customer), ``conditional_expected_transactions``,
``p_alive`` and ``pmf`` (for the calibration histogram). A fit the data cannot
identify — an estimate running off to 0 or ∞, a flat likelihood (Hessian not
positive definite, NaN or huge standard errors), nobody gone quiet — raises
:class:`ConvergenceError` or ``ValueError`` saying why, instead of returning numbers.

Numerics: likelihoods are evaluated in log space (``gammaln``, ``betaln``,
log-sum-exp) on the distinct ``(x, t_x, T)`` values only; hypergeometric functions
are used after Euler's transformation, so no power of ``(α + T) / (α + t_x)`` with
a large exponent is formed: ``x`` in the thousands neither overflows nor loses
precision (tested against mpmath).

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers"
the easy way: An alternative to the Pareto/NBD model. *Marketing Science*,
24(2), 275–284.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: Using
iso-value curves for customer base analysis. *Journal of Marketing Research*,
42(4), 415–430.

Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base analysis in a
discrete-time noncontractual setting. *Marketing Science*, 29(6), 1086–1108.

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
from crmlab.probabilistic.sbg import ShiftedBetaGeometric, constant_retention
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
    "constant_retention",

]
