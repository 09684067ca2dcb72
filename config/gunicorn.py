"""gunicorn's settings for commune-assist: `gunicorn -c config/gunicorn.py config.wsgi`.

The access and error logs mask citizen ID numbers (a number typed into a URL is one), as every other
log line of the project does.
"""

from gunicorn import glogging

from core.logging import MaskCitizenIds

accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


class MaskedLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.addFilter(MaskCitizenIds())


logger_class = MaskedLogger
