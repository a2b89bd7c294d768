package br.com.lepapon.bridge;

import br.com.lepapon.bridge.config.InvalidSettingException;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the bridge as a Camel Main application; an invalid setting stops it with exit code 2 and one message. */
public final class BridgeApplication {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeApplication.class);

    private BridgeApplication() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the bridge until it is stopped and returns the exit code. */
    public static int run(String... args) throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(BridgeConfiguration.class);
        main.setDefaultPropertyPlaceholderLocation(
                "classpath:application.properties;optional=true,file:application.properties;optional=true");
        try {
            return main.run(args);
        } catch (Exception e) {
            InvalidSettingException invalid = findInvalidSetting(e);
            if (invalid == null) {
                throw e;
            }
            LOG.error(invalid.getMessage());
            return 2;
        }
    }

    private static InvalidSettingException findInvalidSetting(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidSettingException invalid) {
                return invalid;
            }
        }
        return null;
    }
}
