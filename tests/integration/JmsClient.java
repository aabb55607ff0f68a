// An independent JMS client (ActiveMQ's own JMS implementation over OpenWire) for the JMS tests. Run as a
// single-file source program against the jars in /usr/share/activemq/lib:
//   java -cp JARS JmsClient.java send URL queue:NAME|topic:NAME COUNT PREFIX        text messages, properties
//   java -cp JARS JmsClient.java receive URL queue:NAME|topic:NAME MAX IDLE_MS [CLIENT_ID SUBSCRIPTION]
//   java -cp JARS JmsClient.java subscribe URL topic:NAME CLIENT_ID SUBSCRIPTION    create a durable subscription
// `receive` prints one JSON line per message: type, body, JMS header fields and string properties.
import java.util.Enumeration;
import javax.jms.BytesMessage;
import javax.jms.Connection;
import javax.jms.DeliveryMode;
import javax.jms.Destination;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.TextMessage;
import javax.jms.Topic;
import org.apache.activemq.ActiveMQConnectionFactory;

public class JmsClient {
  static String json(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static Destination destination(Session session, String spec) throws Exception {
    String name = spec.substring(spec.indexOf(':') + 1);
    return spec.startsWith("topic:") ? session.createTopic(name) : session.createQueue(name);
  }

  public static void main(String[] args) throws Exception {
    String command = args[0];
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(args[1]);
    Connection connection = factory.createConnection();
    if (command.equals("subscribe")) connection.setClientID(args[3]);
    if (command.equals("receive") && args.length > 6) connection.setClientID(args[5]);
    connection.start();
    Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    Destination dest = destination(session, args[2]);
    if (command.equals("send")) {
      MessageProducer producer = session.createProducer(dest);
      producer.setDeliveryMode(DeliveryMode.PERSISTENT);
      int count = Integer.parseInt(args[3]);
      for (int i = 0; i < count; i++) {
        TextMessage m = session.createTextMessage(args[4] + i);
        m.setStringProperty("site", "north");
        m.setStringProperty("seq", Integer.toString(i));
        m.setJMSCorrelationID("corr-" + i);
        m.setJMSType("reading");
        producer.send(m);
      }
    } else if (command.equals("subscribe")) {
      session.createDurableSubscriber((Topic) dest, args[4]).close();
    } else {
      int max = Integer.parseInt(args[3]);
      long idle = Long.parseLong(args[4]);
      MessageConsumer consumer = args.length > 6 ? session.createDurableSubscriber((Topic) dest, args[6])
                                                 : session.createConsumer(dest);
      for (int n = 0; max == 0 || n < max; n++) {
        Message m = consumer.receive(idle);
        if (m == null) break;
        String type;
        String body;
        if (m instanceof TextMessage) {
          type = "text";
          body = ((TextMessage) m).getText();
        } else if (m instanceof BytesMessage) {
          type = "bytes";
          BytesMessage bm = (BytesMessage) m;
          byte[] bytes = new byte[(int) bm.getBodyLength()];
          bm.readBytes(bytes);
          body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } else {
          type = m.getClass().getSimpleName();
          body = null;
        }
        StringBuilder props = new StringBuilder("{");
        for (Enumeration<?> e = m.getPropertyNames(); e.hasMoreElements();) {
          String name = (String) e.nextElement();
          if (props.length() > 1) props.append(',');
          props.append(json(name)).append(':').append(json(String.valueOf(m.getObjectProperty(name))));
        }
        props.append('}');
        System.out.println("{\"type\":" + json(type) + ",\"body\":" + json(body) + ",\"correlation_id\":"
            + json(m.getJMSCorrelationID()) + ",\"jms_type\":" + json(m.getJMSType()) + ",\"reply_to\":"
            + json(m.getJMSReplyTo() == null ? null : m.getJMSReplyTo().toString()) + ",\"persistent\":"
            + (m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT) + ",\"properties\":" + props + "}");
        m.acknowledge();
      }
    }
    connection.close();
  }
}
