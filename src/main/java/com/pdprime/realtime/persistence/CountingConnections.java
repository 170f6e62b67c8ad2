package com.pdprime.realtime.persistence;

import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.persistence.sessions.Connector;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Login;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;
import org.eclipse.persistence.sessions.server.Server;

/**
 * Puts {@link CountedDataSource} between the persistence unit and the container's pool, so the
 * console and {@code /metrics} show the connections the application holds and waits for ({@link
 * DatabaseConnections}). Named in persistence.xml ({@code eclipselink.session.customizer});
 * EclipseLink creates it. Both of the unit's logins are counted: the transactional one and the one
 * EclipseLink reads through outside a transaction (Payara gives it the pool's non-transactional
 * data source). A login that does not connect through a data source is left as it is, and the
 * counts say they are not available ({@link DatabaseConnections#counted()}).
 */
public class CountingConnections implements SessionCustomizer {
  private static final Logger LOG = Logger.getLogger(CountingConnections.class.getName());

  @Override
  public void customize(Session session) throws NamingException {
    boolean counted = count(session.getDatasourceLogin());
    if (session instanceof Server server) {
      Login read = server.getReadConnectionPool().getLogin();
      if (read != null && read != session.getDatasourceLogin()) {
        counted &= count(read);
      }
    }
    DatabaseConnections.counted(counted);
  }

  private static boolean count(Login login) throws NamingException {
    Connector connector =
        login instanceof DatasourceLogin datasource ? datasource.getConnector() : null;
    if (!(connector instanceof JNDIConnector jndi)) {
      LOG.warning(
          "a persistence login connects through "
              + (connector == null ? login.getClass().getName() : connector.getClass().getName())
              + ", not a data source: database connections are not counted");
      return false;
    }
    DataSource pool =
        jndi.getDataSource() != null
            ? jndi.getDataSource()
            : (DataSource) new InitialContext().lookup(jndi.getName());
    if (!(pool instanceof CountedDataSource)) {
      jndi.setDataSource(
          new CountedDataSource(
              pool, DatabaseConnections.inUseCount(), DatabaseConnections.waitingCount()));
    }
    return true;
  }
}
